// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) on /api/tasks and /trpc, through the
// real server: replays, concurrent retries, payload mismatch, expiry on a clock the test moves.
import { startTestServer, type TestServer } from '@tasks/testing';
import { createTasksClient } from '@tasks/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
let now = Date.parse('2026-12-01T10:00:00.000Z');

beforeAll(async () => {
  t = await startTestServer({ clock: () => new Date(now) });
});
afterAll(async () => {
  await t?.close();
});

const post = (body: unknown, key?: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
  body: JSON.stringify(body),
});
const countTasks = async (userId: string) =>
  Number((await t.database.db.selectFrom('tasks').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);

async function answer(response: Response) {
  return { status: response.status, location: response.headers.get('location'), etag: response.headers.get('etag'), body: await response.text() };
}

describe('Idempotency-Key on REST', () => {
  it('a retry with the same key and body gets the first answer back (status, headers, body) and creates nothing', async () => {
    const first = await answer(await t.fetchAs('replayer', '/api/tasks', post({ title: 'once' }, 'key-1')));
    expect(first.status).toBe(201);
    const again = await answer(await t.fetchAs('replayer', '/api/tasks', post({ title: 'once' }, 'key-1')));
    expect(again).toEqual(first);
    // The same key sent as the draft's structured-field string is the same key.
    expect(await answer(await t.fetchAs('replayer', '/api/tasks', post({ title: 'once' }, '"key-1"')))).toEqual(first);
    expect(await countTasks('replayer')).toBe(1);
  });

  it('keys are per user: the same key from another user is another request', async () => {
    await t.fetchAs('user-a', '/api/tasks', post({ title: 'a' }, 'shared-key'));
    const b = await t.fetchAs('user-b', '/api/tasks', post({ title: 'b' }, 'shared-key'));
    expect(b.status).toBe(201);
    expect(((await b.json()) as { userId: string }).userId).toBe('user-b');
  });

  it('20 concurrent requests with one key: one task, 20 identical answers', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => answer(await t.fetchAs('concurrent', '/api/tasks', post({ title: 'just one' }, 'concurrent-key')))),
    );
    expect(await countTasks('concurrent')).toBe(1);
    expect(answers[0]!.status).toBe(201);
    for (const each of answers) expect(each).toEqual(answers[0]);
  });

  it('the same key with another body is 422 and changes nothing', async () => {
    await t.fetchAs('mismatch', '/api/tasks', post({ title: 'first' }, 'mismatch-key'));
    const other = await t.fetchAs('mismatch', '/api/tasks', post({ title: 'second' }, 'mismatch-key'));
    expect(other.status).toBe(422);
    expect(((await other.json()) as { code: string }).code).toBe('UNPROCESSABLE_CONTENT');
    expect(await countTasks('mismatch')).toBe(1);
  });

  it('a failed write stores nothing: the same key may then be sent again', async () => {
    const bad = await t.fetchAs('failing', '/api/tasks/2000000000', { ...post({ title: 'x' }, 'failed-key'), method: 'PATCH' });
    expect(bad.status).toBe(404);
    const created = await t.fetchAs('failing', '/api/tasks', post({ title: 'later' }, 'failed-key'));
    expect(created.status).toBe(201);
  });

  it('guards updates too: a replayed PATCH does not bump the version again', async () => {
    const { id } = (await (await t.fetchAs('patcher', '/api/tasks', post({ title: 'v1' }))).json()) as { id: number };
    const patch = { ...post({ title: 'v2' }, 'patch-key'), method: 'PATCH' };
    const first = await answer(await t.fetchAs('patcher', `/api/tasks/${id}`, patch));
    const again = await answer(await t.fetchAs('patcher', `/api/tasks/${id}`, patch));
    expect(again).toEqual(first);
    expect(first.etag).toBe(`"${id}-2"`);
  });

  it('after the replay window (24 h on the server clock) the same key creates a new task; expired keys are purged', async () => {
    await t.fetchAs('expiry', '/api/tasks', post({ title: 'day one' }, 'daily-key'));
    now += 23 * 3600_000;
    expect((await t.fetchAs('expiry', '/api/tasks', post({ title: 'day one' }, 'daily-key'))).status).toBe(201);
    expect(await countTasks('expiry')).toBe(1);
    now += 2 * 3600_000;
    expect((await t.fetchAs('expiry', '/api/tasks', post({ title: 'day one' }, 'daily-key'))).status).toBe(201);
    expect(await countTasks('expiry')).toBe(2);
    const expired = await t.database.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('expires_at', '<=', new Date(now))
      .execute();
    expect(expired).toEqual([]);
  });

  it('a key over 255 characters, an empty one or one with non-ASCII text is 400 naming the header', async () => {
    for (const key of ['k'.repeat(256), '""', '"unterminated', 'caf\u00e9']) {
      const response = await t.fetchAs('odd-keys', '/api/tasks', post({ title: 'x' }, key));
      expect(response.status, key).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/^Idempotency-Key: /);
    }
    expect((await t.fetchAs('odd-keys', '/api/tasks', post({ title: 'x' }, 'k'.repeat(255)))).status).toBe(201);
    expect(await countTasks('odd-keys')).toBe(1);
  });
});

describe('Idempotency-Key on /trpc', () => {
  it("the typed client's key per call is honoured; the same key and input replays the first answer", async () => {
    const client = t.clientFor('trpc-keys');
    const first = await client.tasks.create.mutate({ title: 'keyed' }, { context: { idempotencyKey: 'trpc-key-1' } });
    const again = await client.tasks.create.mutate({ title: 'keyed' }, { context: { idempotencyKey: 'trpc-key-1' } });
    expect(again).toEqual(first);
    expect(again.createdAt).toBeInstanceOf(Date);
    await expect(client.tasks.create.mutate({ title: 'other' }, { context: { idempotencyKey: 'trpc-key-1' } })).rejects.toMatchObject({
      data: { code: 'UNPROCESSABLE_CONTENT', httpStatus: 422 },
    });
    expect(await countTasks('trpc-keys')).toBe(1);
  });

  it('the client retries a mutation whose answer was lost with the same key, so the task is made once', async () => {
    const keys: string[] = [];
    let lose = true;
    const token = await t.tokenFor('lost-answer');
    const client = createTasksClient({
      url: t.trpcUrl,
      token,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        keys.push(new Headers(init?.headers).get('idempotency-key') ?? '');
        if (lose) {
          lose = false;
          throw new TypeError('fetch failed'); // the server did the work; the client never heard
        }
        return response;
      },
    });
    const task = await client.tasks.create.mutate({ title: 'made once' });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[\w-]{16,}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(await countTasks('lost-answer')).toBe(1);
    expect(task.title).toBe('made once');
  });

  it('a key on a batch of several calls is a 400: one key names one call', async () => {
    const body = JSON.stringify({ 0: { json: { title: 'a' } }, 1: { json: { title: 'b' } } });
    const response = await t.fetchAs('trpc-batch', '/trpc/tasks.create,tasks.create?batch=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'batch-key' },
      body,
    });
    const answers = (await response.json()) as Array<{ error?: { json: { data: { code: string } } } }>;
    expect(answers.map((a) => a.error?.json.data.code)).toEqual(['BAD_REQUEST', 'BAD_REQUEST']);
    expect(await countTasks('trpc-batch')).toBe(0);
  });
});
