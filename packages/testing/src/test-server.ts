// The integration harness: the real server over a fresh database, with tokens and typed clients for
// any user. It listens on a free port, or with `listen: false` answers through Fastify's inject()
// where the socket is not the point. Other projects use it in their own tests.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createTasksClient, type TasksClient } from '@tasks/client';
import { createServer, loadConfig, type TasksServer } from '@tasks/server';
import { inspectDocumentedResponses, type DocumentMismatch, type TruncatedResponse } from './document-inspector.ts';
import { createInjectFetch, INJECT_ORIGIN } from './inject-fetch.ts';
import { inspectErrorResponses, type LeakReport } from './leak-inspector.ts';
import { createStatementLog, type ExecutedStatement } from './statement-log.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { signTestToken, type TestTokenOptions } from './tokens.ts';

export interface TestServerOptions {
  /** Extra environment for the server's configuration (e.g. `{ RATE_LIMIT_MAX: '5' }`). */
  env?: Record<string, string>;
  /** Reuse a database (e.g. two servers on one database); otherwise a fresh one is made and destroyed. */
  database?: TestDatabase;
  /**
   * `true` (the default): listen on a free port, for tests where the socket matters (streaming,
   * keep-alive, raw bytes, several instances). `false`: nothing listens; `fetch`, `fetchAs` and
   * `clientFor` go through `app.inject()`, and reading `url` throws.
   */
  listen?: boolean;
  /** Keep the server's log lines at this level and above in `logs` (otherwise it logs nothing). */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** What "now" is on every surface (overdue, due today, Idempotency-Key expiry), e.g. `() => new Date('2026-03-29T00:30:00Z')`. */
  clock?: () => Date;
  /** A built web app to serve at `/` (the server's `webRoot`), for browser tests of an app. */
  webRoot?: string;
}

/** One pino line, parsed. */
export type LogLine = { level: number; msg?: string; err?: { message?: string; type?: string } } & Record<string, unknown>;

export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:40123` (only when listening). */
  url: string;
  /** `${url}/trpc` (only when listening). */
  trpcUrl: string;
  /** Whether a socket is open (`listen` option). */
  listening: boolean;
  secret: string;
  server: TasksServer;
  database: TestDatabase;
  tokenFor(userId: string, options?: Omit<TestTokenOptions, 'secret' | 'sub'>): Promise<string>;
  clientFor(userId: string): TasksClient;
  /** `fetch(path, init)` against the server: over the socket when listening, through inject() otherwise. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** `fetch` against the server with a user's bearer token (`null`: none). */
  fetchAs(userId: string | null, path: string, init?: RequestInit): Promise<Response>;
  /** Error responses so far that leaked internals (close() fails when there are any). */
  leaks: LeakReport[];
  /** How many error responses the leak inspector has checked. */
  inspectedErrors(): number;
  /** Responses on documented routes that did not match /openapi.json (close() fails when there are any). */
  documentMismatches: DocumentMismatch[];
  /** Streamed responses on documented routes that ended in an error or were cancelled, unchecked. */
  truncatedResponses: TruncatedResponse[];
  /** How many responses were checked against /openapi.json. */
  documentChecked(): number;
  /** Every statement the server ran through its database, in order. */
  statements: ExecutedStatement[];
  /** The server's log lines, when `logLevel` was given (every line is checked for secrets either way: close() fails on one). */
  logs: LogLine[];
  close(): Promise<void>;
}

// What no log line may hold: a JWT (any token, the harness's or an account's), an argon2 hash, a
// password field, an Authorization header. Checked on every test server's log, whatever its level.
const LOG_SECRETS: [string, RegExp][] = [
  ['a JWT', /eyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]+/],
  ['a password hash', /\$argon2/],
  ['a password field', /"password(_hash)?"\s*:/i],
  ['an Authorization header', /"authorization"\s*:/i],
];

/** Log lines with a secret in them, as `what: line`. */
export function findLogSecrets(line: string, secret?: string): string[] {
  const found = LOG_SECRETS.filter(([, pattern]) => pattern.test(line)).map(([what]) => `${what}: ${line.slice(0, 300)}`);
  if (secret && line.includes(secret)) found.push(`the auth secret: ${line.slice(0, 300)}`);
  return found;
}

function logCapture(level: string | undefined, secret: string): { logger: object; logs: LogLine[]; leaks: string[] } {
  const logs: LogLine[] = [];
  const leaks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue;
        leaks.push(...findLogSecrets(line, secret));
        if (level) logs.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  // Without a level asked for, the access lines and warnings are still read (for secrets), not kept.
  return { logger: { level: level ?? 'info', stream }, logs, leaks };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const secret = randomBytes(32).toString('hex');
  const listen = options.listen ?? true;
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    AUTH_SECRET: secret,
    LOG_LEVEL: options.logLevel ?? 'silent',
    RATE_LIMIT_MAX: '0',
    ...options.env,
  });
  const { plugin, statements } = createStatementLog();
  const { logger, logs, leaks: logLeaks } = logCapture(options.logLevel, secret);
  const server = await createServer(config, {
    db: { ...database, db: database.db.withPlugin(plugin) },
    logger,
    clock: options.clock,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
  });
  const inspection = inspectErrorResponses(server.app);
  const documentInspection = inspectDocumentedResponses(server.app);
  let origin = INJECT_ORIGIN;
  if (listen) origin = (await server.start()).replace('localhost', '127.0.0.1');
  else await server.app.ready();
  const injectFetch = createInjectFetch(server.app);
  const send: typeof fetch = listen ? fetch : injectFetch;
  // Read through inject() either way: the document is the server's, and a socket adds nothing here.
  const documentResponse = await injectFetch('/openapi.json');
  if (documentResponse.ok) documentInspection.use((await documentResponse.json()) as object);
  const tokenFor = (userId: string, tokenOptions: Omit<TestTokenOptions, 'secret' | 'sub'> = {}) =>
    signTestToken({ ...tokenOptions, secret, sub: userId });
  const notListening = () => {
    throw new Error('this test server does not listen (listen: false): use t.fetch, t.fetchAs or t.clientFor, or start it with listen: true');
  };

  return {
    get url() {
      return listen ? origin : notListening();
    },
    get trpcUrl() {
      return listen ? `${origin}/trpc` : notListening();
    },
    listening: listen,
    secret,
    server,
    database,
    tokenFor,
    leaks: inspection.reports,
    inspectedErrors: inspection.inspected,
    documentMismatches: documentInspection.mismatches,
    truncatedResponses: documentInspection.truncated,
    documentChecked: documentInspection.checked,
    statements,
    logs,
    clientFor: (userId) => createTasksClient({ url: `${origin}/trpc`, token: () => tokenFor(userId), fetch: send }),
    fetch: (path, init) => send(`${origin}${path}`, init),
    async fetchAs(userId, path, init = {}) {
      const headers = new Headers(init.headers);
      if (userId !== null) headers.set('authorization', `Bearer ${await tokenFor(userId)}`);
      return send(`${origin}${path}`, { ...init, headers });
    },
    async close() {
      await server.app.close();
      if (!options.database) await database.destroy();
      if (logLeaks.length) throw new Error(`log lines carried secrets:\n${logLeaks.join('\n')}`);
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
