import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_WIDTH_TIMESTAMP, originalClient, type CallResult } from '@tasks/testing';

let t: TestServer;
let call: ReturnType<typeof originalClient>;
beforeAll(async () => {
  t = await startTestServer();
  call = originalClient(t);
});
afterAll(async () => {
  await t?.close();
});

const as = (user: string) => ({ as: { user } });
async function create(user: string, body: object): Promise<any> {
  const response = await call('POST', `/api/${encodeURIComponent(user)}/tasks`, { ...as(user), body });
  expect(response.status).toBe(201);
  return response.json;
}

describe('success answers of every route', () => {
  it('POST creates an incomplete task: 201 with the snake_case task', async () => {
    const before = Date.now();
    const response = await call('POST', '/api/alice/tasks', { ...as('alice'), body: { title: '  Buy milk  ' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const task = response.json;
    expect(Object.keys(task).sort()).toEqual(
      ['completed', 'completed_at', 'created_at', 'days_until_due', 'description', 'due_date', 'id', 'is_due_today', 'is_overdue', 'priority', 'status', 'tags', 'title', 'updated_at', 'user_id'].sort(),
    );
    expect(task).toMatchObject({
      user_id: 'alice',
      title: 'Buy milk',
      description: null,
      status: 'incomplete',
      completed: false,
      completed_at: null,
      priority: 'medium',
      due_date: null,
      tags: [],
    });
    expect(task.id).toBeGreaterThan(0);
    expect(task.created_at).toMatch(FIXED_WIDTH_TIMESTAMP);
    expect(task.updated_at).toBe(task.created_at);
    expect(Date.parse(task.created_at)).toBeGreaterThanOrEqual(before - 5_000);
  });

  it('keeps an empty description as given, and accepts camelCase spellings and ignores unknown fields', async () => {
    expect((await create('alice', { title: 'empty', description: '' })).description).toBe('');
    const task = await create('alice', { title: 'extras', user_id: 'mallory', id: 999_999, created_at: '2000-01-01T00:00:00.000Z', whatever: 1 });
    expect(task.user_id).toBe('alice');
    expect(task.id).not.toBe(999_999);
    expect(task.created_at).not.toBe('2000-01-01T00:00:00.000Z');
  });

  it('GET lists all the user’s tasks as a bare array, newest first, [] when empty', async () => {
    const empty = await call('GET', '/api/nobody-yet/tasks', as('nobody-yet'));
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual([]);

    const first = await create('lister', { title: 'first' });
    const second = await create('lister', { title: 'second' });
    const list = await call('GET', '/api/lister/tasks', as('lister'));
    expect(list.status).toBe(200);
    expect(list.json.map((task: any) => task.id)).toEqual([second.id, first.id]);
  });

  it('GET returns every task even past the procedure’s 100-per-page limit', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 205; i++) ids.push((await create('many', { title: `task ${i}` })).id);
    const list = await call('GET', '/api/many/tasks', as('many'));
    expect(list.json).toHaveLength(205);
    expect(list.json.map((task: any) => task.id)).toEqual(ids.toReversed());
  });

  it('GET /{id} returns the task', async () => {
    const task = await create('alice', { title: 'one', description: 'details' });
    const response = await call('GET', `/api/alice/tasks/${task.id}`, as('alice'));
    expect(response.status).toBe(200);
    expect(response.json).toEqual(task);
  });

  it('PUT is partial: fields left out keep their values; null description clears it', async () => {
    const task = await create('alice', { title: 'old', description: 'keep me' });
    const titled = await call('PUT', `/api/alice/tasks/${task.id}`, { ...as('alice'), body: { title: ' new ' } });
    expect(titled.status).toBe(200);
    expect(titled.json).toMatchObject({ id: task.id, title: 'new', description: 'keep me', status: 'incomplete' });

    const completed = await call('PUT', `/api/alice/tasks/${task.id}`, { ...as('alice'), body: { status: 'Complete ' } });
    expect(completed.json).toMatchObject({ title: 'new', status: 'complete', completed: true });
    expect(completed.json.completed_at).toMatch(FIXED_WIDTH_TIMESTAMP);

    const cleared = await call('PUT', `/api/alice/tasks/${task.id}`, {
      ...as('alice'),
      body: { description: null, completed: false, status: null },
    });
    expect(cleared.json).toMatchObject({ title: 'new', description: null, status: 'incomplete', completed: false, completed_at: null });
    expect(cleared.json.created_at).toBe(task.created_at);
  });

  it('PUT ignores unknown fields: user_id, id and created_at in a body change nothing', async () => {
    const task = await create('alice', { title: 'owned' });
    const response = await call('PUT', `/api/alice/tasks/${task.id}`, {
      ...as('alice'),
      body: { title: 'renamed', user_id: 'mallory', id: task.id + 1000, created_at: '2000-01-01T00:00:00.000Z', completed_at: '2000-01-01T00:00:00.000Z' },
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ id: task.id, user_id: 'alice', title: 'renamed', created_at: task.created_at, completed_at: null });
    expect((await call('GET', '/api/mallory/tasks', as('mallory'))).json).toEqual([]);
  });

  it('PUT accepts status and completed together when they agree, and pending/completed as words', async () => {
    const task = await create('alice', { title: 'agree' });
    const both = await call('PUT', `/api/alice/tasks/${task.id}`, { ...as('alice'), body: { status: 'completed', completed: true } });
    expect(both.json.status).toBe('complete');
    const pending = await call('PUT', `/api/alice/tasks/${task.id}`, { ...as('alice'), body: { status: 'PENDING' } });
    expect(pending.json.status).toBe('incomplete');
  });

  it('DELETE answers 204 with an empty body and no JSON content type; the task is gone', async () => {
    const task = await create('alice', { title: 'doomed' });
    const response = await call('DELETE', `/api/alice/tasks/${task.id}`, as('alice'));
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(response.headers.get('content-type') ?? '').not.toMatch(/json/);
    expect((await call('GET', `/api/alice/tasks/${task.id}`, as('alice'))).status).toBe(404);
  });

  it('PATCH /complete sets (never toggles), is idempotent, and bumps updated_at every call', async () => {
    const task = await create('alice', { title: 'finish me' });
    const first = await call('PATCH', `/api/alice/tasks/${task.id}/complete`, as('alice'));
    const second = await call('PATCH', `/api/alice/tasks/${task.id}/complete`, as('alice'));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.json).toMatchObject({ status: 'complete', completed: true });
    expect(second.json).toMatchObject({ status: 'complete', completed: true, completed_at: first.json.completed_at });
    expect(second.json.updated_at > first.json.updated_at).toBe(true);
  });

  it('PATCH /incomplete reopens, idempotently', async () => {
    const task = await create('alice', { title: 'reopen me' });
    await call('PATCH', `/api/alice/tasks/${task.id}/complete`, as('alice'));
    for (let i = 0; i < 2; i++) {
      const response = await call('PATCH', `/api/alice/tasks/${task.id}/incomplete`, as('alice'));
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ status: 'incomplete', completed: false, completed_at: null });
    }
  });

  it('PATCH /status sets the status the body names', async () => {
    const task = await create('alice', { title: 'by status' });
    const done = await call('PATCH', `/api/alice/tasks/${task.id}/status`, { ...as('alice'), body: { status: 'complete' } });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ id: task.id, status: 'complete', completed: true });
    const undone = await call('PATCH', `/api/alice/tasks/${task.id}/status`, { ...as('alice'), body: { status: ' Incomplete' } });
    expect(undone.json).toMatchObject({ status: 'incomplete', completed: false });
  });
});

describe('list filters and orders', () => {
  let open: any;
  let done: any;
  beforeAll(async () => {
    open = await create('filter', { title: 'open' });
    done = await create('filter', { title: 'done' });
    await call('PATCH', `/api/filter/tasks/${done.id}/complete`, as('filter'));
  });
  const ids = (response: CallResult) => response.json.map((task: any) => task.id);

  it.each([
    ['complete', 'done'],
    ['COMPLETED', 'done'],
    [' incomplete ', 'open'],
    ['pending', 'open'],
    ['all', 'both'],
    ['ALL', 'both'],
    ['', 'both'],
    ['%20', 'both'],
  ])('?status=%s gives %s', async (status, expected) => {
    const response = await call('GET', `/api/filter/tasks?status=${status.replaceAll(' ', '%20')}`, as('filter'));
    expect(response.status).toBe(200);
    expect(ids(response)).toEqual({ done: [done.id], open: [open.id], both: [done.id, open.id] }[expected]);
  });

  it.each(['priority', 'due_date', '-due_date', ''])('?sort=%s with no priorities or due dates set gives newest first', async (sort) => {
    const response = await call('GET', `/api/filter/tasks?sort=${sort}`, as('filter'));
    expect(response.status).toBe(200);
    expect(ids(response)).toEqual([done.id, open.id]);
  });
});

describe('timestamps', () => {
  it('are fixed width and updated_at strictly increases across back-to-back changes', async () => {
    const task = await create('clock', { title: 'tick' });
    let previous = task.updated_at as string;
    const changes: [string, string, object | undefined][] = [
      ['PATCH', 'complete', undefined],
      ['PATCH', 'complete', undefined],
      ['PATCH', 'incomplete', undefined],
      ['PATCH', 'status', { status: 'complete' }],
      ['PUT', '', { title: 'tock' }],
      ['PUT', '', { description: 'x' }],
    ];
    for (const [method, suffix, body] of changes) {
      const path = `/api/clock/tasks/${task.id}${suffix ? `/${suffix}` : ''}`;
      const response = await call(method, path, { ...as('clock'), body });
      expect(response.status).toBe(200);
      for (const field of ['created_at', 'updated_at'] as const) expect(response.json[field]).toMatch(FIXED_WIDTH_TIMESTAMP);
      expect(response.json.created_at).toBe(task.created_at);
      expect(response.json.updated_at > previous).toBe(true);
      previous = response.json.updated_at;
    }
  });
});
