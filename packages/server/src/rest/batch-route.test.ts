// POST /api/tasks/batch through the real server: the shape, all or nothing, the failing
// operation's own status; and, on PostgreSQL, a connection cut in the middle of a batch, and a
// retry that finds the first request with its key still running.
import { claimIdempotencyKey, createDb } from '@tasks/db';
import { createProxiedTestDatabase, startTestServer, type TcpProxy, type TestDatabase, type TestServer } from '@tasks/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const adminUrl = process.env.TEST_DATABASE_URL;

const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('POST /api/tasks/batch', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ listen: false });
  });
  afterAll(async () => {
    await t?.close();
  });
  const titles = async (userId: string) =>
    (await t.database.db.selectFrom('tasks').select('title').where('user_id', '=', userId).orderBy('id').execute()).map((r) => r.title);

  it("answers the issue's shape: per-operation results with real ids; temporary ids resolve", async () => {
    const existing = (await (await t.fetchAs('rest-batch', '/api/tasks', post({ title: 'five' }))).json()) as { id: number };
    const doomed = (await (await t.fetchAs('rest-batch', '/api/tasks', post({ title: 'seven' }))).json()) as { id: number };
    const response = await t.fetchAs(
      'rest-batch',
      '/api/tasks/batch',
      post({
        operations: [
          { op: 'create', tempId: 'a', task: { title: 'Buy milk' } },
          { op: 'update', id: existing.id, changes: { priority: 'high' } },
          { op: 'complete', tempId: 'a' },
          { op: 'delete', id: doomed.id },
        ],
      }),
    );
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: Array<{ op: string; id: number; tempId?: string; task?: { completed: boolean; createdAt: string } }> };
    expect(results.map((r) => r.op)).toEqual(['create', 'update', 'complete', 'delete']);
    expect(results[2]).toMatchObject({ tempId: 'a', id: results[0]!.id, task: { completed: true } });
    expect(results[0]!.task!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(results[3]).toEqual({ op: 'delete', id: doomed.id });
    expect(await titles('rest-batch')).toEqual(['five', 'Buy milk']);
  });

  it('a failure answers the status the operation would have alone, with its index, and applies nothing', async () => {
    const { id } = (await (await t.fetchAs('rest-fail', '/api/tasks', post({ title: 'v1' }))).json()) as { id: number };
    const cases: Array<[unknown[], number, number]> = [
      [[{ op: 'create', task: { title: 'x' } }, { op: 'delete', id: 2_000_000_000 }], 404, 1],
      [[{ op: 'create', task: { title: 'x' } }, { op: 'update', id, changes: { title: 'y' }, expectedVersion: 9 }], 409, 1],
      [[{ op: 'create', task: { title: 'x' } }, { op: 'complete', tempId: 'never' }], 400, 1],
      [[{ op: 'create', task: { title: 'x' } }, { op: 'create', task: { title: ' ' } }], 400, 1],
    ];
    for (const [operations, status, operation] of cases) {
      const response = await t.fetchAs('rest-fail', '/api/tasks/batch', post({ operations }));
      expect(response.status, JSON.stringify(operations)).toBe(status);
      expect(await response.json()).toMatchObject({ operation });
    }
    expect(await titles('rest-fail')).toEqual(['v1']);
  });

  it('more than 100 operations is a 400; 100 are applied', async () => {
    const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ op: 'create', task: { title: `t${i}` } }));
    const tooMany = await t.fetchAs('rest-limit', '/api/tasks/batch', post({ operations: ops(101) }));
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { message: string }).message).toBe('operations: At most 100 operations in one batch');
    expect((await t.fetchAs('rest-limit', '/api/tasks/batch', post({ operations: ops(100) }))).status).toBe(200);
    expect(await titles('rest-limit')).toHaveLength(100);
  });

  it('takes an Idempotency-Key: a replay applies nothing twice', async () => {
    const body = { operations: [{ op: 'create', task: { title: 'once' } }] };
    const first = await t.fetchAs('rest-batch-key', '/api/tasks/batch', post(body, { 'idempotency-key': 'batch-1' }));
    const again = await t.fetchAs('rest-batch-key', '/api/tasks/batch', post(body, { 'idempotency-key': 'batch-1' }));
    expect(await again.json()).toEqual(await first.json());
    expect(await titles('rest-batch-key')).toEqual(['once']);
  });
});

// PGlite runs in-process and has no connection to cut, nor a second connection to hold a key.
describe.skipIf(!adminUrl)('batch and Idempotency-Key faults (PostgreSQL)', () => {
  let proxy: TcpProxy;
  let handle: TestDatabase;
  let t: TestServer;

  beforeAll(async () => {
    ({ database: handle, proxy } = await createProxiedTestDatabase(adminUrl!, { poolMax: 4 }));
    t = await startTestServer({ database: handle, listen: false, env: { IDEMPOTENCY_WAIT_MS: '200' } });
  });
  afterAll(async () => {
    await t?.close();
    await handle?.destroy();
  });

  it('a connection cut in the middle of a batch leaves nothing, and the same key then applies it once', async () => {
    const userId = 'cut-batch';
    const { id } = (await (await t.fetchAs(userId, '/api/tasks', post({ title: 'locked' }))).json()) as { id: number };
    // Another session holds the task's row, so the batch stops at its update after 50 creates.
    const direct = createDb({ url: handle.url!.replace(/127\.0\.0\.1:\d+/, new URL(adminUrl!).host), poolMax: 2 });
    const release = Promise.withResolvers<void>();
    const holding = direct.db.transaction().execute(async (tx) => {
      await sql`select id from tasks where id = ${id} for update`.execute(tx);
      await release.promise;
    });
    const operations = [
      ...Array.from({ length: 50 }, (_, i) => ({ op: 'create', task: { title: `created ${i}` } })),
      { op: 'update', id, changes: { title: 'changed' } },
      { op: 'create', task: { title: 'after' } },
    ];
    const batch = t.fetchAs(userId, '/api/tasks/batch', post({ operations }, { 'idempotency-key': 'cut-key' }));
    const waiting = await until(
      // This database's sessions only: another test file's lock wait elsewhere in the cluster is not this batch's.
      async () =>
        (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(direct.db))
          .rows[0]!.n,
      (n) => n > 0,
      10_000,
    );
    expect(waiting).toBeGreaterThan(0);
    await proxy.down();
    release.resolve();
    await holding;
    const answer = await batch;
    expect(answer.status).toBe(503);
    await proxy.up();

    const rows = await until(
      () => direct.db.selectFrom('tasks').select('title').where('user_id', '=', userId).execute(),
      (r) => r.length === 1,
      10_000,
    );
    expect(rows).toEqual([{ title: 'locked' }]);
    expect(await direct.db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).execute()).toEqual([]);

    const retried = await until(() => t.fetchAs(userId, '/api/tasks/batch', post({ operations }, { 'idempotency-key': 'cut-key' })), (r) => r.status === 200, 10_000);
    expect(retried.status).toBe(200);
    expect(await direct.db.selectFrom('tasks').select('id').where('user_id', '=', userId).execute()).toHaveLength(52);
    await direct.db.destroy();
  });

  it('a retry while the first request with its key is still running waits briefly, then is 409', async () => {
    const userId = 'in-flight';
    const release = Promise.withResolvers<void>();
    const claimed = Promise.withResolvers<void>();
    const now = new Date();
    const first = handle.db.transaction().execute(async (tx) => {
      await claimIdempotencyKey(tx, { userId, key: 'slow-key', fingerprint: 'f', now, expiresAt: new Date(now.getTime() + 60_000), waitMs: 1000 });
      claimed.resolve();
      await release.promise;
    });
    await claimed.promise;
    const started = Date.now();
    const retry = await t.fetchAs(userId, '/api/tasks', post({ title: 'x' }, { 'idempotency-key': 'slow-key' }));
    expect(retry.status).toBe(409);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(((await retry.json()) as { message: string }).message).toContain('still in progress');
    release.resolve();
    await first;
  });
});
