// Sign-up and sign-in attempts limited per email and per address (429 + Retry-After on every surface),
// in one instance's memory and, through Redis, as one budget across two instances on one database.
// The Redis part needs TEST_REDIS_URL (default redis://127.0.0.1:6379) and is skipped, saying so, without it.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { createDb } from '@tasks/db';
import { createTestDatabase, originalClient, startTestServer, type TestDatabase, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Unique emails per run: Redis keeps the counters across runs and across the two test projects.
const run = randomBytes(4).toString('hex');

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379), timeout: 1_000 });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}
const redisUp = await reachable(redisUrl);
if (!redisUp) console.warn(`shared attempt-limit tests skipped: no Redis at ${redisUrl} (set TEST_REDIS_URL)`);

const signIn = (server: TestServer, email: string) =>
  originalClient(server)('POST', '/auth/signin', { body: { email, password: 'not-the-password' } });

describe('attempts in one instance', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { AUTH_ATTEMPTS_PER_EMAIL: '3', AUTH_ATTEMPTS_PER_IP: '9', AUTH_ATTEMPTS_WINDOW_SECONDS: '600' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 with Retry-After once an email is over its limit, sign-ups counted too; other emails go on', async () => {
    const email = `limited-${run}@example.com`;
    const call = originalClient(t);
    expect((await call('POST', '/auth/signup', { body: { email, password: 'the-password', name: 'L' } })).status).toBe(201);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await signIn(t, email.toUpperCase())).status);
    expect(statuses).toEqual([401, 401, 429]);
    const limited = await signIn(t, email);
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ detail: { error: 'Too Many Requests', message: expect.stringMatching(/^Too many sign-in attempts/) } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Even the right password waits: the limit is counted before any password is checked.
    expect((await call('POST', '/auth/signin', { body: { email, password: 'the-password' } })).status).toBe(429);
    expect((await signIn(t, `other-${run}@example.com`)).status).toBe(401);
  });

  it('limits an address across emails, on /trpc as on /auth', async () => {
    // 7 attempts so far from this address (1 sign-up, 6 sign-ins, the two limited ones too); the limit is 9.
    expect((await signIn(t, `a-${run}@example.com`)).status).toBe(401);
    expect((await signIn(t, `b-${run}@example.com`)).status).toBe(401);
    expect((await signIn(t, `c-${run}@example.com`)).status).toBe(429);
    const trpc = await fetch(`${t.trpcUrl}/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: `d-${run}@example.com`, password: 'x' } }),
    });
    expect(trpc.status).toBe(429);
    expect(Number(trpc.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

/** A second handle on the same database: its own pool on PostgreSQL; PGlite is one in-process instance. */
function secondHandle(database: TestDatabase): TestDatabase {
  if (!database.url) return { ...database, destroy: async () => {} };
  const handle = createDb({ url: database.url });
  return { ...handle, url: database.url, destroy: () => handle.db.destroy() };
}

describe.skipIf(!redisUp)('attempts across two instances sharing one Redis', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    second = secondHandle(database);
    // The address limit is off here: every run and both test projects come from 127.0.0.1.
    const env = { AUTH_SECRET: randomBytes(32).toString('hex'), REDIS_URL: redisUrl, AUTH_ATTEMPTS_PER_EMAIL: '4', AUTH_ATTEMPTS_PER_IP: '0' };
    a = await startTestServer({ database, env });
    b = await startTestServer({ database: second, env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await second?.destroy();
    await database?.destroy();
  });

  it('counts an email once across both instances', async () => {
    const email = `shared-${run}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(i % 2 === 0 ? a : b, email)).status);
    // 4 allowed in all, 2 through each instance; alone, each would have allowed 4.
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const limited = await signIn(b, email);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn(a, `calm-${run}@example.com`)).status).toBe(401);
  });

  it('signs in on one instance an account made on the other', async () => {
    const email = `roaming-${run}@example.com`;
    const made = await originalClient(a)('POST', '/auth/signup', { body: { email, password: 'roaming-password', name: 'R' } });
    const signedIn = await originalClient(b)('POST', '/auth/signin', { body: { email, password: 'roaming-password' } });
    expect(signedIn).toMatchObject({ status: 200, json: { user: made.json.user } });
  });
});
