// The integration harness: the real server on a free port over a fresh database, with tokens and
// typed clients for any user. Other projects use it in their own tests.
import { randomBytes } from 'node:crypto';
import { createTasksClient, type TasksClient } from '@tasks/client';
import { createServer, loadConfig, type TasksServer } from '@tasks/server';
import { inspectDocumentedResponses, type DocumentMismatch } from './document-inspector.ts';
import { inspectErrorResponses, type LeakReport } from './leak-inspector.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { signTestToken, type TestTokenOptions } from './tokens.ts';

export interface TestServerOptions {
  /** Extra environment for the server's configuration (e.g. `{ RATE_LIMIT_MAX: '5' }`). */
  env?: Record<string, string>;
  /** Reuse a database (e.g. two servers on one database); otherwise a fresh one is made and destroyed. */
  database?: TestDatabase;
}

export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  trpcUrl: string;
  secret: string;
  server: TasksServer;
  database: TestDatabase;
  tokenFor(userId: string, options?: Omit<TestTokenOptions, 'secret' | 'sub'>): Promise<string>;
  clientFor(userId: string): TasksClient;
  /** Error responses so far that leaked internals (close() fails when there are any). */
  leaks: LeakReport[];
  /** How many error responses the leak inspector has checked. */
  inspectedErrors(): number;
  /** Responses on documented routes that did not match /openapi.json (close() fails when there are any). */
  documentMismatches: DocumentMismatch[];
  /** How many responses were checked against /openapi.json. */
  documentChecked(): number;
  /** `fetch` against the server with a user's bearer token. */
  fetchAs(userId: string | null, path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const secret = randomBytes(32).toString('hex');
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    AUTH_SECRET: secret,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_MAX: '0',
    ...options.env,
  });
  const server = await createServer(config, { db: database, logger: false });
  const inspection = inspectErrorResponses(server.app);
  const documentInspection = inspectDocumentedResponses(server.app);
  const url = (await server.start()).replace('localhost', '127.0.0.1');
  const documentResponse = await fetch(`${url}/openapi.json`);
  if (documentResponse.ok) documentInspection.use((await documentResponse.json()) as object);
  const tokenFor = (userId: string, tokenOptions: Omit<TestTokenOptions, 'secret' | 'sub'> = {}) =>
    signTestToken({ ...tokenOptions, secret, sub: userId });

  return {
    url,
    trpcUrl: `${url}/trpc`,
    secret,
    server,
    database,
    tokenFor,
    leaks: inspection.reports,
    documentMismatches: documentInspection.mismatches,
    documentChecked: documentInspection.checked,
    inspectedErrors: inspection.inspected,
    clientFor: (userId) => createTasksClient({ url: `${url}/trpc`, token: () => tokenFor(userId) }),
    async fetchAs(userId, path, init = {}) {
      const headers = new Headers(init.headers);
      if (userId !== null) headers.set('authorization', `Bearer ${await tokenFor(userId)}`);
      return fetch(`${url}${path}`, { ...init, headers });
    },
    async close() {
      await server.app.close();
      if (!options.database) await database.destroy();
      if (documentInspection.mismatches.length) {
        const lines = documentInspection.mismatches.map((m) => `${m.method} ${m.url} → ${m.status}: ${m.problem}`);
        throw new Error(`responses did not match /openapi.json:\n${lines.join('\n')}`);
      }
      if (inspection.reports.length) {
        const lines = inspection.reports.map((r) => `${r.method} ${r.url} → ${r.status}: ${r.leaks.join(', ')}: ${r.body.slice(0, 300)}`);
        throw new Error(`error responses leaked internals:\n${lines.join('\n')}`);
      }
    },
  };
}
