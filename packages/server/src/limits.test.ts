import { startTestServer, testDatabaseKind, type TestServer } from '@tasks/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ listen: false, env: { BODY_LIMIT_BYTES: '4096', TRPC_MAX_BATCH_SIZE: '3' } });
});
afterAll(async () => {
  await t?.close();
});

const create = (title: string) =>
  t.fetchAs('limits', '/trpc/tasks.create', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { title } }),
  });

describe('resource limits', () => {
  it('answers 413 for a body over the limit and stores nothing', async () => {
    const response = await create('x'.repeat(5000));
    expect(response.status).toBe(413);
    const list = (await (await t.fetchAs('limits', '/trpc/tasks.list')).json()) as any;
    expect(list.result.data.json.items).toEqual([]);
  });

  it('refuses a tRPC batch larger than the maximum', async () => {
    const input = encodeURIComponent(JSON.stringify({ 0: { json: {} }, 1: { json: {} }, 2: { json: {} }, 3: { json: {} } }));
    const tooMany = await t.fetchAs('limits', `/trpc/tasks.list,tasks.list,tasks.list,tasks.list?batch=1&input=${input}`);
    expect(tooMany.status).toBeGreaterThanOrEqual(400);
    expect(tooMany.status).toBeLessThan(500);
    const input3 = encodeURIComponent(JSON.stringify({ 0: { json: {} }, 1: { json: {} }, 2: { json: {} } }));
    expect((await t.fetchAs('limits', `/trpc/tasks.list,tasks.list,tasks.list?batch=1&input=${input3}`)).status).toBe(200);
  });

  it('caps the page size at 100', async () => {
    const input = (limit: number) => encodeURIComponent(JSON.stringify({ json: { limit } }));
    expect((await t.fetchAs('limits', `/trpc/tasks.list?input=${input(100)}`)).status).toBe(200);
    expect((await t.fetchAs('limits', `/trpc/tasks.list?input=${input(101)}`)).status).toBe(400);
  });

  // PGlite has no connection pool and no server-side statement_timeout to set: PostgreSQL only.
  it.skipIf(testDatabaseKind() === 'pglite')('sets statement_timeout on pooled connections (PostgreSQL)', async () => {
    const { rows } = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(t.database.db);
    expect(rows[0]?.statement_timeout).toBe('10s');
  });
});
