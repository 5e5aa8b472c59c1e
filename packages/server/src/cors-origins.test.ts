// Browser origins as the original deployed them (SEED-CONTRACT.md, "Browser origins and health"):
// http://localhost:3000 … :3010 outside production unless CORS_ORIGINS says otherwise; in production
// without CORS_ORIGINS no origin is allowed, and the server says so at start-up.
import { Writable } from 'node:stream';
import { createTestDatabase, startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const preflight = (url: string, origin: string) =>
  fetch(`${url}/auth/signin`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });

describe('the default browser origins', () => {
  it.each(['http://localhost:3000', 'http://localhost:3005', 'http://localhost:3010'])('allows %s, echoing it', async (origin) => {
    const response = await preflight(t.url, origin);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it.each(['http://localhost:2999', 'http://localhost:3011', 'http://127.0.0.1:3000', 'https://localhost:3000'])('does not allow %s', async (origin) => {
    expect((await preflight(t.url, origin)).headers.get('access-control-allow-origin')).toBeNull();
  });
});

/** Start-up log lines of a server made with this environment. */
async function startUpWarnings(env: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const database = await createTestDatabase();
  const config = loadConfig({ AUTH_SECRET: 'p'.repeat(32), PORT: '0', ...env });
  const server = await createServer(config, { db: database, logger: { level: 'warn', stream } });
  await server.app.ready();
  await server.app.close();
  await database.destroy();
  return lines.map((line) => JSON.parse(line).msg as string);
}

describe('production without CORS_ORIGINS', () => {
  it('warns at start-up, naming the variable', async () => {
    const warnings = await startUpWarnings({ NODE_ENV: 'production' });
    expect(warnings.filter((msg) => msg.includes('CORS_ORIGINS'))).toHaveLength(1);
  });

  it('does not warn when CORS_ORIGINS is set, nor outside production', async () => {
    expect(await startUpWarnings({ NODE_ENV: 'production', CORS_ORIGINS: 'https://app.example.com' })).toEqual([]);
    expect(await startUpWarnings({ NODE_ENV: 'development' })).toEqual([]);
  });
});
