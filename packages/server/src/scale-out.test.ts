// Two instances on one database and one Redis, as N instances behind a load balancer run: the
// per-user rate limit is one budget across both, and each instance sees the other's writes.
// Needs Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379); skipped, saying so, without it.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { createTasksClient } from '@tasks/client';
import { createDb } from '@tasks/db';
import { createTestDatabase, signTestToken, startTestServer, type TestDatabase, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

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
if (!redisUp) console.warn(`scale-out tests skipped: no Redis at ${redisUrl} (set TEST_REDIS_URL)`);

/** A second handle on the same database: its own pool on PostgreSQL; PGlite is one in-process instance. */
function secondHandle(database: TestDatabase): TestDatabase {
  if (!database.url) return { ...database, destroy: async () => {} };
  const handle = createDb({ url: database.url });
  return { ...handle, url: database.url, destroy: () => handle.db.destroy() };
}

describe.skipIf(!redisUp)('two instances behind one database and one Redis', () => {
  const secret = randomBytes(32).toString('hex');
  // Unique users per run: the counters live in the shared Redis, across runs and test projects.
  const run = randomBytes(4).toString('hex');
  let database: TestDatabase;
  let second: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    second = secondHandle(database);
    const env = { AUTH_SECRET: secret, RATE_LIMIT_MAX: '6', RATE_LIMIT_WINDOW: '1 minute', REDIS_URL: redisUrl };
    a = await startTestServer({ database, env });
    b = await startTestServer({ database: second, env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await second?.destroy();
    await database?.destroy();
  });

  const list = async (server: TestServer, user: string) => {
    const token = await signTestToken({ secret, sub: user });
    return fetch(`${server.trpcUrl}/tasks.list`, { headers: { authorization: `Bearer ${token}` } });
  };

  it("counts a user's requests once across both instances", async () => {
    const user = `busy-${run}`;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await list(i % 2 === 0 ? a : b, user)).status);
    // 6 allowed in all, 3 through each instance; alone, each would have allowed 6.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const limited = await list(b, user);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('6');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user's budget is untouched on either instance.
    expect((await list(a, `calm-${run}`)).status).toBe(200);
    expect((await list(b, `calm-${run}`)).status).toBe(200);
  });

  it("sees the other instance's writes", async () => {
    const user = `writer-${run}`;
    const token = () => signTestToken({ secret, sub: user });
    const viaA = createTasksClient({ url: a.trpcUrl, token });
    const viaB = createTasksClient({ url: b.trpcUrl, token });
    const created = await viaA.tasks.create.mutate({ title: 'written through A' });
    expect((await viaB.tasks.list.query()).items.map((task) => task.id)).toEqual([created.id]);
    await viaB.tasks.complete.mutate({ id: created.id });
    expect(await viaA.tasks.get.query({ id: created.id })).toMatchObject({ title: 'written through A', completed: true });
  });
});

describe('when the rate-limit store is unreachable', () => {
  it('serves requests unlimited rather than failing them', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const t = await startTestServer({ listen: false, env: { RATE_LIMIT_MAX: '2', REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await t.fetchAs('no-store', '/trpc/tasks.list')).status);
      expect(statuses).toEqual([200, 200, 200, 200]);
    } finally {
      await t.close();
    }
  });
});
