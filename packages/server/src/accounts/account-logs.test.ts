// No log line carries a password, a password hash or an account token: the server's own logger, at
// its most verbose level, is read back after sign-ups, sign-ins (right, wrong, malformed, limited) on
// every surface; and no error body of those calls leaks a hash (the harness's inspector).
import { Writable } from 'node:stream';
import { createTestDatabase, findLogSecrets, inspectErrorResponses, type TestDatabase } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createServer, type TasksServer } from '../server.ts';

const PASSWORD = 'Tr0ub4dor&3-horse';
const lines: string[] = [];
const tokens: string[] = [];
let database: TestDatabase;
let server: TasksServer;
let url: string;
let inspection: ReturnType<typeof inspectErrorResponses>;

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', AUTH_SECRET: 's'.repeat(32), AUTH_ATTEMPTS_PER_EMAIL: '5' });
  server = await createServer(config, { db: database, logger: { level: 'trace', stream } });
  inspection = inspectErrorResponses(server.app);
  url = (await server.start()).replace('localhost', '127.0.0.1');
});
afterAll(async () => {
  await server?.app.close();
  await database?.destroy();
});

async function post(path: string, body: string) {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  const token = /"token":"([^"]+)"/.exec(text)?.[1];
  if (token) tokens.push(token);
  return response.status;
}

describe('account logs', () => {
  it('carry no password, hash or token, whatever the calls', async () => {
    const account = JSON.stringify({ email: 'logs@example.com', password: PASSWORD, name: 'L' });
    expect(await post('/auth/signup', account)).toBe(201);
    expect(await post('/auth/signup', account)).toBe(409);
    expect(await post('/auth/signin', JSON.stringify({ email: 'logs@example.com', password: PASSWORD }))).toBe(200);
    expect(await post('/auth/signin', JSON.stringify({ email: 'logs@example.com', password: `${PASSWORD}!` }))).toBe(401);
    expect(await post('/auth/signup', JSON.stringify({ email: 'short@example.com', password: PASSWORD.slice(0, 5), name: 'S' }))).toBe(422);
    expect(await post('/auth/signin', `{"email": "logs@example.com", "password": "${PASSWORD}"`)).toBe(422);
    expect(await post('/trpc/auth.signIn', JSON.stringify({ json: { email: 'logs@example.com', password: PASSWORD } }))).toBe(200);
    expect(await post('/trpc/auth.signIn', JSON.stringify({ json: { email: 'logs@example.com', password: `${PASSWORD}?` } }))).toBe(429);
    // A token on a task route, and a bad one, are logged neither.
    const headers = { authorization: `Bearer ${tokens[0]}` };
    expect((await fetch(`${url}/api/tasks`, { headers })).status).toBe(200);
    expect((await fetch(`${url}/api/tasks`, { headers: { authorization: `Bearer ${tokens[0]}x` } })).status).toBe(401);

    expect(tokens).toHaveLength(3);
    // At least one access line per call.
    expect(lines.length).toBeGreaterThanOrEqual(10);
    const hash = (await database.db.selectFrom('users').select('password_hash').where('email', '=', 'logs@example.com').executeTakeFirstOrThrow()).password_hash!;
    for (const line of lines) {
      expect(line).not.toContain(PASSWORD.slice(0, 5));
      expect(line).not.toMatch(/\$argon2/);
      expect(line).not.toContain(hash.split('$').at(-1));
      for (const token of tokens) expect(line).not.toContain(token.split('.')[2]);
      expect(findLogSecrets(line)).toEqual([]);
    }
    expect(inspection.inspected()).toBeGreaterThanOrEqual(6);
    expect(inspection.reports).toEqual([]);
  });
});
