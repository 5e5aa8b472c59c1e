// ETag, If-Match, If-None-Match and REQUIRE_IF_MATCH on /api/tasks…, through the real server, and
// the lost-update race both surfaces guard against (If-Match here, expectedVersion on /trpc).
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function createTask(userId: string, title = 'a task') {
  const response = await t.fetchAs(userId, '/api/tasks', json('POST', { title }));
  expect(response.status).toBe(201);
  return { etag: response.headers.get('etag'), task: (await response.json()) as { id: number; version: number; title: string } };
}

describe('ETag', () => {
  it('is a strong tag of id and version on create, get, update and complete, and changes with every change', async () => {
    const { etag, task } = await createTask('etags');
    expect(task.version).toBe(1);
    expect(etag).toBe(`"${task.id}-1"`);
    const read = await t.fetchAs('etags', `/api/tasks/${task.id}`);
    expect(read.headers.get('etag')).toBe(etag);
    const patched = await t.fetchAs('etags', `/api/tasks/${task.id}`, json('PATCH', { title: 'b' }));
    expect(patched.headers.get('etag')).toBe(`"${task.id}-2"`);
    expect(((await patched.json()) as { version: number }).version).toBe(2);
    const completed = await t.fetchAs('etags', `/api/tasks/${task.id}/complete`, { method: 'PATCH' });
    expect(completed.headers.get('etag')).toBe(`"${task.id}-3"`);
  });

  it('If-None-Match with the current tag (weak or strong, or in a list, or *) is 304 with no body; a stale one is 200', async () => {
    const { etag, task } = await createTask('reader');
    for (const header of [etag!, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await t.fetchAs('reader', `/api/tasks/${task.id}`, { headers: { 'if-none-match': header } });
      expect(response.status, header).toBe(304);
      expect(response.headers.get('etag')).toBe(etag);
      expect(await response.text()).toBe('');
    }
    await t.fetchAs('reader', `/api/tasks/${task.id}`, json('PATCH', { title: 'changed' }));
    const stale = await t.fetchAs('reader', `/api/tasks/${task.id}`, { headers: { 'if-none-match': etag! } });
    expect(stale.status).toBe(200);
    expect(((await stale.json()) as { title: string }).title).toBe('changed');
  });
});

describe('If-Match', () => {
  it('a matching tag (alone, in a list, or *) applies the write', async () => {
    const { task } = await createTask('matcher');
    const first = await t.fetchAs('matcher', `/api/tasks/${task.id}`, json('PATCH', { title: 'one' }, { 'if-match': `"${task.id}-1"` }));
    expect(first.status).toBe(200);
    const listed = await t.fetchAs('matcher', `/api/tasks/${task.id}`, json('PUT', { title: 'two' }, { 'if-match': `"x", "${task.id}-2"` }));
    expect(listed.status).toBe(200);
    const any = await t.fetchAs('matcher', `/api/tasks/${task.id}/complete`, { method: 'PATCH', headers: { 'if-match': '*' } });
    expect(any.status).toBe(200);
    const deleted = await t.fetchAs('matcher', `/api/tasks/${task.id}`, { method: 'DELETE', headers: { 'if-match': `"${task.id}-4"` } });
    expect(deleted.status).toBe(204);
  });

  it('a stale tag is 412 with the current task and its ETag, and changes nothing', async () => {
    const { etag, task } = await createTask('stale-writer');
    await t.fetchAs('stale-writer', `/api/tasks/${task.id}`, json('PATCH', { title: 'someone else' }));
    for (const [method, path, body] of [
      ['PATCH', `/api/tasks/${task.id}`, { title: 'mine' }],
      ['PUT', `/api/tasks/${task.id}`, { title: 'mine' }],
      ['PATCH', `/api/tasks/${task.id}/complete`, {}],
      ['DELETE', `/api/tasks/${task.id}`, undefined],
    ] as const) {
      const init: RequestInit = body === undefined ? { method, headers: { 'if-match': etag! } } : json(method, body, { 'if-match': etag! });
      const response = await t.fetchAs('stale-writer', path, init);
      expect(response.status, `${method} ${path}`).toBe(412);
      expect(response.headers.get('etag')).toBe(`"${task.id}-2"`);
      const answer = (await response.json()) as { code: string; current: { title: string; version: number } };
      expect(answer).toMatchObject({ code: 'PRECONDITION_FAILED', current: { title: 'someone else', version: 2, completed: false } });
    }
    const after = (await (await t.fetchAs('stale-writer', `/api/tasks/${task.id}`)).json()) as { version: number };
    expect(after.version).toBe(2);
  });

  it("a weak tag never matches, nor another task's tag (RFC 9110 §13.1.1)", async () => {
    const { task } = await createTask('weak');
    const { task: other } = await createTask('weak');
    for (const header of [`W/"${task.id}-1"`, `"${other.id}-1"`, '"garbage"']) {
      const response = await t.fetchAs('weak', `/api/tasks/${task.id}`, json('PATCH', { title: 'x' }, { 'if-match': header }));
      expect(response.status, header).toBe(412);
    }
  });

  it("If-Match on a missing or another user's task is 404, like without it", async () => {
    const { task } = await createTask('someone');
    const response = await t.fetchAs('nosy', `/api/tasks/${task.id}`, json('PATCH', { title: 'x' }, { 'if-match': `"${task.id}-1"` }));
    expect(response.status).toBe(404);
  });

  it('a header that is no entity-tag list is a 400 naming it', async () => {
    const { task } = await createTask('garbled');
    for (const header of ['abc', '"unterminated', 'W/ "x"', '"a" b', ',']) {
      const response = await t.fetchAs('garbled', `/api/tasks/${task.id}`, json('PATCH', { title: 'x' }, { 'if-match': header }));
      expect(response.status, header).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/^If-Match: /);
    }
  });

  it('50 concurrent PATCHes with the same If-Match: exactly one 200 and 49 × 412; the version grows by one', async () => {
    const { etag, task } = await createTask('racer');
    const statuses = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const response = await t.fetchAs('racer', `/api/tasks/${task.id}`, json('PATCH', { title: `writer ${i}` }, { 'if-match': etag! }));
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    const final = (await (await t.fetchAs('racer', `/api/tasks/${task.id}`)).json()) as { version: number };
    expect(final.version).toBe(task.version + 1);
  });
});

describe('expectedVersion on /trpc', () => {
  it('50 concurrent updates through the typed client: one success and 49 CONFLICT carrying the current task', async () => {
    const client = t.clientFor('trpc-racer');
    const task = await client.tasks.create.mutate({ title: 'raced' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => client.tasks.update.mutate({ id: task.id, title: `writer ${i}`, expectedVersion: task.version })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const errors = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as { name: string; data: any }] : []));
    expect(errors).toHaveLength(49);
    for (const error of errors) {
      expect(error.name).toBe('TRPCClientError');
      expect(error.data?.code).toBe('CONFLICT');
      expect(error.data?.current).toMatchObject({ id: task.id, version: 2 });
    }
    // superjson carries the current task's Dates as Dates.
    expect(errors[0]!.data.current.updatedAt).toBeInstanceOf(Date);
    expect((await client.tasks.get.query({ id: task.id })).version).toBe(2);
  });
});

describe('REQUIRE_IF_MATCH=true', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startTestServer({ env: { REQUIRE_IF_MATCH: 'true' }, listen: false });
  });
  afterAll(async () => {
    await strict?.close();
  });

  it('answers 428 to a write of one task without If-Match, and applies it with one', async () => {
    const created = await strict.fetchAs('strict', '/api/tasks', json('POST', { title: 'creates need none' }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    for (const [method, path] of [['PATCH', `/api/tasks/${id}`], ['PUT', `/api/tasks/${id}`], ['PATCH', `/api/tasks/${id}/complete`], ['DELETE', `/api/tasks/${id}`]] as const) {
      const response = await strict.fetchAs('strict', path, method === 'DELETE' ? { method } : json(method, { title: 'x' }));
      expect(response.status, `${method} ${path}`).toBe(428);
      expect(((await response.json()) as { code: string }).code).toBe('PRECONDITION_REQUIRED');
    }
    const applied = await strict.fetchAs('strict', `/api/tasks/${id}`, json('PATCH', { title: 'x' }, { 'if-match': `"${id}-1"` }));
    expect(applied.status).toBe(200);
  });
});
