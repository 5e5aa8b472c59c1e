// Database faults against the real PostgreSQL server, through a proxy the test can cut.
// PGlite runs in-process and cannot lose its connection, so these run in the postgres project only.
import { Writable } from 'node:stream';
import { createDb, createTask } from '@tasks/db';
import { createProxiedTestDatabase, startTestServer, type TcpProxy, type TestDatabase, type TestServer } from '@tasks/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

const adminUrl = process.env.TEST_DATABASE_URL;

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!adminUrl)('database faults (PostgreSQL)', () => {
  let proxy: TcpProxy;
  let proxiedUrl: string;
  let handle: TestDatabase;
  let t: TestServer;

  beforeAll(async () => {
    ({ database: handle, proxy } = await createProxiedTestDatabase(adminUrl!, { poolMax: 4 }));
    proxiedUrl = handle.url!;
    t = await startTestServer({ database: handle, listen: false });
  });

  afterAll(async () => {
    await t?.close();
    await handle?.destroy();
  });

  it('answers 503 with Retry-After while the database is gone, and recovers by itself', async () => {
    expect((await t.fetchAs('fault', '/trpc/tasks.create', post({ title: 'before' }))).status).toBe(200);

    await proxy.down();
    const started = Date.now();
    const during = await t.fetchAs('fault', '/trpc/tasks.list');
    expect(during.status).toBe(503);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(3_000);
    const body = (await during.json()) as any;
    expect(body.error.json.data.code).toBe('SERVICE_UNAVAILABLE');
    const write = await t.fetchAs('fault', '/trpc/tasks.create', post({ title: 'while down' }));
    expect(write.status).toBe(503);
    expect((await t.fetch('/readyz')).status).toBe(503);

    await proxy.up();
    const after = await until(() => t.fetchAs('fault', '/trpc/tasks.list'), (r) => r.status === 200, 10_000);
    expect(after.status).toBe(200);
    const titles = ((await after.json()) as any).result.data.json.items.map((i: { title: string }) => i.title);
    expect(titles).toEqual(['before']);
    expect((await t.fetch('/readyz')).status).toBe(200);
  });

  it('an event stream opened while the database is gone: 503 with Retry-After on REST, a SERVICE_UNAVAILABLE event on tRPC', async () => {
    await proxy.down();
    try {
      const rest = await t.fetchAs('stream-fault', '/api/tasks/events', { headers: { accept: 'text/event-stream' } });
      expect(rest.status).toBe(503);
      expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(rest.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await rest.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      // tRPC answers a subscription's failure inside the stream, as its httpSubscriptionLink reads it.
      const trpc = await t.fetchAs('stream-fault', '/trpc/tasks.onChange', { headers: { accept: 'text/event-stream' } });
      const text = await trpc.text();
      const failure = /event: serialized-error\ndata: (.*)\n/.exec(text);
      expect(failure).not.toBeNull();
      expect(JSON.parse(failure![1]!).json.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503, path: 'tasks.onChange' });
    } finally {
      await proxy.up();
    }
  });

  it('logs an outage as two lines, its start and its end with the count of failed requests, and no driver objects', async () => {
    const { database, proxy: cut } = await createProxiedTestDatabase(adminUrl!, { poolMax: 2 });
    const logged = await startTestServer({ database, listen: false, logLevel: 'info' });
    try {
      expect((await logged.fetchAs('quiet', '/trpc/tasks.list')).status).toBe(200);
      await cut.down();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await logged.fetchAs('quiet', i % 2 ? '/api/tasks' : '/trpc/tasks.list')).status);
      expect(statuses).toEqual([503, 503, 503, 503]);
      await cut.up();
      await until(() => logged.fetchAs('quiet', '/trpc/tasks.list'), (r) => r.status === 200, 10_000);

      const outageLines = logged.logs.filter((line) => line.msg?.startsWith('database '));
      expect(outageLines.map((line) => line.msg)).toEqual(['database unreachable: answering 503 until it is back', 'database reachable again']);
      expect(outageLines[1]!['failedRequests']).toBe(4);
      for (const line of logged.logs) {
        expect(line.err).toBeUndefined();
        expect(JSON.stringify(line).length).toBeLessThan(1_000);
      }
    } finally {
      await logged.close();
      await database.destroy();
    }
  });

  it('survives pg_terminate_backend of every pooled connection with no 500', async () => {
    for (let i = 0; i < 3; i++) await t.fetchAs('killed', '/trpc/tasks.create', post({ title: `t${i}` }));
    const name = new URL(proxiedUrl).pathname.slice(1);
    const admin = createDb({ url: adminUrl!, poolMax: 1 });
    try {
      const { rows } = await sql<{ n: number }>`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = ${name}`.execute(admin.db);
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await admin.db.destroy();
    }
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.fetchAs('killed', '/trpc/tasks.list')).status);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses.at(-1)).toBe(200);
  });

  it('rolls back a multi-statement write whose connection dies half-way', async () => {
    const userId = 'half-written';
    const attempt = handle.db.transaction().execute(async (tx) => {
      await createTask(tx, userId, { title: 'first of two' });
      await sql`select pg_sleep(5)`.execute(tx); // the connection is cut here
      await createTask(tx, userId, { title: 'second of two' });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await proxy.down();
    await expect(attempt).rejects.toThrow();
    await proxy.up();

    const rows = await until(
      () => handle.db.selectFrom('tasks').select('title').where('user_id', '=', userId).execute().catch(() => null),
      (r) => r !== null,
      10_000,
    );
    expect(rows).toEqual([]);
    const users = await handle.db.selectFrom('users').select('id').where('id', '=', userId).execute();
    expect(users).toEqual([]);
  });

  it('start-up with the database down waits with backoff, says why, and starts once it is back', async () => {
    await proxy.down();
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', AUTH_SECRET: 's'.repeat(32), DATABASE_URL: proxiedUrl, DATABASE_CONNECT_TIMEOUT_MS: '500' });
    const server = await createServer(config, { logger: { level: 'warn', stream } });
    try {
      const starting = server.start();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await proxy.up();
      const url = await starting;
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const waits = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'database not reachable yet; retrying');
      expect(waits.length).toBeGreaterThanOrEqual(1);
      expect(waits[0].reason).toBeTruthy();
      if (waits.length > 1) expect(waits[1].delayMs).toBeGreaterThan(waits[0].delayMs);
    } finally {
      await proxy.up().catch(() => {});
      await server.stop();
    }
  });
});

function post(input: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ json: input }) };
}
