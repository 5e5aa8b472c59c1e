// The fast /trpc queries against tRPC's own answers: two servers on one database, one with
// TRPC_FAST_QUERIES=false (every call through tRPC's fetch adapter), the same requests to both, and
// the status, the headers tRPC sets and the body compared byte for byte. What the fast path may not
// answer (errors, other procedures, jsonl, odd inputs) must come back exactly as tRPC answers it too.
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from '@tasks/testing';
import { wireTransformer } from '@tasks/api';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastCalls } from './trpc-fast-queries.ts';

let database: TestDatabase;
let fast: TestServer;
let stock: TestServer;
const user = 'fast-queries';
const ids: number[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  fast = await startTestServer({ database, listen: false });
  stock = await startTestServer({ database, listen: false, env: { TRPC_FAST_QUERIES: 'false' } });
  const client = fast.clientFor(user);
  // Every kind of field: a Date or null in each timestamp, a date-only due, tags, a description or none.
  const made = [
    await client.tasks.create.mutate({ title: 'plain' }),
    await client.tasks.create.mutate({ title: 'due at', description: 'with "quotes" and \\ and é', dueAt: new Date('2026-05-01T10:15:30.123Z'), tags: ['a', 'b'] }),
    await client.tasks.create.mutate({ title: 'due date', dueDate: '2026-06-02', priority: 'high' }),
  ];
  await client.tasks.complete.mutate({ id: made[1]!.id, completed: true });
  ids.push(...made.map((task) => task.id));
});

afterAll(async () => {
  await fast?.close();
  await stock?.close();
  await database?.destroy();
});

const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));

async function both(path: string, init: RequestInit = {}, as: string | null = user) {
  const answers = await Promise.all(
    [fast, stock].map(async (t) => {
      const response = await t.fetchAs(as, path, init);
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        vary: response.headers.get('vary'),
        allow: response.headers.get('allow'),
        body: await response.text(),
      };
    }),
  );
  return { fast: answers[0]!, stock: answers[1]! };
}

describe('the same answer as tRPC', () => {
  it('a batch of one tasks.list, as httpBatchLink sends it, with every kind of field', async () => {
    const { fast: f, stock: s } = await both(`/trpc/tasks.list?batch=1&input=${q({ 0: { json: { limit: 20 } } })}`);
    expect(f.status).toBe(200);
    expect(f).toEqual(s);
    // And what superjson reads back: Dates where the tasks had them.
    const [first] = JSON.parse(f.body) as [{ result: { data: Parameters<typeof wireTransformer.output.deserialize>[0] } }];
    const page = wireTransformer.output.deserialize<{ items: Array<{ title: string; dueAt: Date | null; completedAt: Date | null; dueDate: string | null }> }>(first.result.data);
    const dueAt = page.items.find((task) => task.title === 'due at')!;
    expect(dueAt.dueAt).toEqual(new Date('2026-05-01T10:15:30.123Z'));
    expect(dueAt.completedAt).toBeInstanceOf(Date);
    expect(page.items.find((task) => task.title === 'due date')!.dueDate).toBe('2026-06-02');
  });

  it('tasks.get without batching, and tasks.stats', async () => {
    for (const path of [`/trpc/tasks.get?input=${q({ json: { id: ids[1] } })}`, `/trpc/tasks.stats?input=${q({ json: { timeZone: 'Europe/Paris' } })}`, '/trpc/tasks.stats']) {
      const { fast: f, stock: s } = await both(path);
      expect(f.status, path).toBe(200);
      expect(f, path).toEqual(s);
    }
  });

  it('a batch of list, get and stats; a page with no Dates at all (no meta)', async () => {
    const batch = await both(`/trpc/tasks.list,tasks.get,tasks.stats?batch=1&input=${q({ 0: { json: { limit: 2, sort: 'title' } }, 1: { json: { id: ids[2] } } })}`);
    expect(batch.fast.status).toBe(200);
    expect(batch.fast).toEqual(batch.stock);
    const empty = await both(`/trpc/tasks.list?batch=1&input=${q({ 0: { json: {} } })}`, {}, 'nobody-has-tasks');
    expect(empty.fast.body).toBe('[{"result":{"data":{"json":{"items":[],"nextCursor":null}}}}]');
    expect(empty.fast).toEqual(empty.stock);
  });

  it('a cursor page and the filters (the input as superjson sends a Date in it)', async () => {
    const first = JSON.parse((await both(`/trpc/tasks.list?batch=1&input=${q({ 0: { json: { limit: 1 } } })}`)).fast.body) as [{ result: { data: { json: { nextCursor: string } } } }];
    const cursor = first[0].result.data.json.nextCursor;
    const dueBefore = wireTransformer.input.serialize({ dueBefore: new Date('2027-01-01T00:00:00Z'), limit: 5 });
    for (const input of [{ 0: { json: { limit: 1, cursor } } }, { 0: dueBefore }, { 0: { json: { status: 'completed', tag: 'a' } } }, { 0: { json: { q: 'quotes', sort: 'dueAt', timeZone: 'America/New_York' } } }]) {
      const { fast: f, stock: s } = await both(`/trpc/tasks.list?batch=1&input=${q(input)}`);
      expect(f.status, JSON.stringify(input)).toBe(200);
      expect(f, JSON.stringify(input)).toEqual(s);
    }
  });

  it.each([
    ['a task that is not there', `/trpc/tasks.get?input=${q({ json: { id: 2_000_000 } })}`],
    ['a bad input (limit 0)', `/trpc/tasks.list?batch=1&input=${q({ 0: { json: { limit: 0 } } })}`],
    ['a batch where one call fails', `/trpc/tasks.list,tasks.get?batch=1&input=${q({ 0: { json: {} }, 1: { json: { id: 'seven' } } })}`],
    ['input that is not JSON', '/trpc/tasks.list?batch=1&input=%7Bnope'],
    ['a batch input that is an array', `/trpc/tasks.list?batch=1&input=${q([{ json: {} }])}`],
    ['a procedure the router lacks beside one it has', `/trpc/tasks.list,tasks.nope?batch=1&input=${q({})}`],
    ['two paths without batch=1', '/trpc/tasks.list,tasks.get'],
    ['a mutation over GET', `/trpc/tasks.create?input=${q({ json: { title: 'x' } })}`],
  ])('%s', async (_what, path) => {
    const { fast: f, stock: s } = await both(path);
    expect(f).toEqual(s);
  });

  it('the changes feed (not a fast query): tRPC answers it', async () => {
    // Its token carries the time it was read at, so the two answers differ there only.
    const { fast: f, stock: s } = await both(`/trpc/tasks.changes?input=${q({ json: {} })}`);
    const untimed = (answer: typeof f) => ({ ...answer, body: answer.body.replace(/"nextToken":"[^"]*"/, '"nextToken":"…"') });
    expect(f.status).toBe(200);
    expect(untimed(f)).toEqual(untimed(s));
  });

  it('no bearer token', async () => {
    const { fast: f, stock: s } = await both(`/trpc/tasks.list?batch=1&input=${q({ 0: { json: {} } })}`, {}, null);
    expect(f.status).toBe(401);
    expect(f).toEqual(s);
  });

  it('a batch over TRPC_MAX_BATCH_SIZE (50)', async () => {
    const paths = Array.from({ length: 51 }, () => 'tasks.stats').join(',');
    const { fast: f, stock: s } = await both(`/trpc/${paths}?batch=1&input=${q({})}`);
    expect(f.status).toBe(400);
    expect(f).toEqual(s);
  });

  it('jsonl (httpBatchStreamLink) is left to tRPC', async () => {
    const path = `/trpc/tasks.list?batch=1&input=${q({ 0: { json: {} } })}`;
    const { fast: f, stock: s } = await both(path, { headers: { 'trpc-accept': 'application/jsonl' } });
    expect(f.status).toBe(200);
    expect(f.body).not.toMatch(/^\[/);
    expect(f.body.split('\n')[0]).toBe(s.body.split('\n')[0]);
  });
});

describe('which requests take the fast path', () => {
  // A real Fastify route with /trpc's URL shape, answering which way fastCalls sends each request.
  const app = Fastify();
  app.get('/trpc/:path', (request) => {
    const plan = fastCalls(request, 3);
    return plan ? { fast: plan.calls.length, batch: plan.batch } : { fast: 0 };
  });
  afterAll(() => app.close());
  const way = async (url: string, headers: Record<string, string> = {}) => (await app.inject({ url, headers })).json() as { fast: number; batch?: boolean };

  it('the three queries, alone or batched, with or without input', async () => {
    expect(await way(`/trpc/tasks.list?batch=1&input=${q({ 0: { json: { limit: 5 } } })}`)).toEqual({ fast: 1, batch: true });
    expect(await way(`/trpc/tasks.get?input=${q({ json: { id: 1 } })}`)).toEqual({ fast: 1, batch: false });
    expect(await way('/trpc/tasks.list,tasks.get,tasks.stats?batch=1')).toEqual({ fast: 3, batch: true });
    expect(await way('/trpc/tasks.stats')).toEqual({ fast: 1, batch: false });
  });

  it.each([
    ['another procedure in the batch', `/trpc/tasks.list,tasks.changes?batch=1&input=${q({})}`, {}],
    ['a mutation', `/trpc/tasks.create?input=${q({ json: { title: 'x' } })}`, {}],
    ['two paths without batch=1', '/trpc/tasks.list,tasks.get', {}],
    ['a batch over the limit', '/trpc/tasks.stats,tasks.stats,tasks.stats,tasks.stats?batch=1', {}],
    ['input that is not JSON', '/trpc/tasks.list?input=%7B', {}],
    ['a batch input that is no object', `/trpc/tasks.list?batch=1&input=${q([1])}`, {}],
    ['jsonl asked for', '/trpc/tasks.list?batch=1', { 'trpc-accept': 'application/jsonl' }],
    ['jsonl in Accept', '/trpc/tasks.list?batch=1', { accept: 'application/jsonl' }],
    ['a multipart content type', '/trpc/tasks.list', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['connectionParams', `/trpc/tasks.list?connectionParams=${q({ a: 1 })}`, {}],
  ])('not: %s', async (_what, url, headers) => {
    expect(await way(url, headers as Record<string, string>)).toEqual({ fast: 0 });
  });
});
