// `GET /api/{user_id}/tasks?sort=…` on tasks built to tie: every order breaks ties by created_at desc,
// then id desc (SEED-CONTRACT.md), whatever the procedure's own tie-breaker.
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originalClient } from '@tasks/testing';

let t: TestServer;
let call: ReturnType<typeof originalClient>;
beforeAll(async () => {
  t = await startTestServer();
  call = originalClient(t);
});
afterAll(async () => {
  await t?.close();
});

/** Gives tasks chosen creation times, so that creation order and id order disagree on purpose. */
async function backdate(id: number, createdAt: string): Promise<void> {
  await t.database.db.updateTable('tasks').set({ created_at: new Date(createdAt), updated_at: new Date(createdAt) }).where('id', '=', id).execute();
}

describe('?sort= with ties', () => {
  const user = { as: { user: 'sorter' } };
  // Created in this order (ids rise a → h); created_at set below so that it does not follow the ids.
  // b, c and h share a creation time: between them, the highest id comes first.
  const spec = {
    a: { priority: 'high', due_date: '2026-03-01', created: '2025-01-05T00:00:00.000Z' },
    b: { priority: 'medium', due_date: '2026-03-01', created: '2025-01-03T00:00:00.000Z' },
    c: { priority: 'medium', due_date: null, created: '2025-01-03T00:00:00.000Z' },
    d: { priority: 'low', due_date: '2026-01-15', created: '2025-01-04T00:00:00.000Z' },
    e: { priority: 'high', due_date: null, created: '2025-01-01T00:00:00.000Z' },
    f: { priority: 'medium', due_date: '2026-03-01', created: '2025-01-02T00:00:00.000Z' },
    g: { priority: 'low', due_date: null, created: '2025-01-06T00:00:00.000Z' },
    h: { priority: 'high', due_date: '2026-03-01', created: '2025-01-03T00:00:00.000Z' },
  } as const;
  const names = new Map<number, string>();

  beforeAll(async () => {
    for (const [name, { priority, due_date, created }] of Object.entries(spec)) {
      const response = await call('POST', '/api/sorter/tasks', { ...user, body: { title: name, priority, due_date } });
      names.set(response.json.id, name);
      await backdate(response.json.id, created);
    }
    // Another user's tasks never show up, whatever the order.
    await call('POST', '/api/other/tasks', { as: { user: 'other' }, body: { title: 'x', priority: 'high', due_date: '2020-01-01' } });
  });

  const order = async (query: string) => {
    const response = await call('GET', `/api/sorter/tasks${query}`, user);
    expect(response.status).toBe(200);
    return response.json.map((task: any) => names.get(task.id)).join('');
  };

  it.each([
    ['', 'newest first', 'gadhcbfe'],
    ['?sort=', 'newest first (empty is omitted)', 'gadhcbfe'],
    ['?sort=priority', 'high, medium, low, each newest first', 'ahecbfgd'],
    ['?sort=due_date', 'soonest first, no due date last', 'dahbfgce'],
    ['?sort=-due_date', 'latest first, no due date last', 'ahbfdgce'],
    ['?sort=priority&status=all', 'unchanged by an all-status filter', 'ahecbfgd'],
  ])('%s: %s', async (query, _what, expected) => {
    expect(await order(query)).toBe(expected);
  });

  it('combines with ?status=: completed tasks only, in the same order', async () => {
    const ids = [...names].filter(([, name]) => 'ache'.includes(name)).map(([id]) => id);
    for (const id of ids) await call('PATCH', `/api/sorter/tasks/${id}/complete`, user);
    // Completing bumps updated_at, never created_at: the order between them stays the contract's.
    expect(await order('?status=complete&sort=priority')).toBe('ahec');
    expect(await order('?status=incomplete&sort=-due_date')).toBe('bfdg');
    expect(await order('?status=complete&sort=due_date')).toBe('ahce');
    for (const id of ids) await call('PATCH', `/api/sorter/tasks/${id}/incomplete`, user);
  });
});

describe('ties across the procedure’s 100-task pages', () => {
  it('a run of equal priorities and of missing due dates longer than a page is ordered newest first', async () => {
    const user = { as: { user: 'bulk' } };
    const ids: number[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const created = await Promise.all(
        Array.from({ length: 25 }, (_, i) => call('POST', '/api/bulk/tasks', { ...user, body: { title: `t${batch * 25 + i}` } })),
      );
      ids.push(...created.map((r) => r.json.id));
    }
    ids.sort((x, y) => x - y);
    // The lowest id is the newest: creation order is the reverse of id order.
    const base = Date.parse('2025-06-01T00:00:00.000Z');
    for (const [index, id] of ids.entries()) await backdate(id, new Date(base - index * 1000).toISOString());

    for (const sort of ['', 'priority', 'due_date', '-due_date']) {
      const response = await call('GET', `/api/bulk/tasks?sort=${sort}`, user);
      expect(response.json.map((task: any) => task.id), sort).toEqual(ids);
    }
  });
});

describe('the streamed list: runs across pages and pieces', () => {
  // 1,250 tasks: a run of 1,100 equal priorities (longer than a streamed piece of 1,000 tasks, across
  // twelve 100-task pages) between two short ones; three due values (one of them none); creation
  // times that disagree with the ids, every other pair sharing one.
  const user = 'streamer';
  const count = 1_250;
  const base = Date.parse('2025-06-01T00:00:00.000Z');
  const rank = { high: 3, medium: 2, low: 1 } as const;
  const dues = [null, new Date('2026-02-01T00:00:00.000Z'), new Date('2026-01-01T00:00:00.000Z')];
  let rows: { id: number; priority: keyof typeof rank; due: Date | null; created: number }[] = [];

  beforeAll(async () => {
    await call('POST', `/api/${user}/tasks`, { as: { user }, body: { title: 'first' } });
    await t.database.db.deleteFrom('tasks').where('user_id', '=', user).execute();
    const values = Array.from({ length: count }, (_, i) => {
      const priority: keyof typeof rank = i < 1_100 ? 'medium' : i < 1_180 ? 'high' : 'low';
      const created = new Date(base - Math.floor(((i * 7_919) % count) / 2) * 1_000);
      return { user_id: user, title: `s${i}`, priority, due_at: dues[i % 3]!, created_at: created, updated_at: created };
    });
    const inserted = await t.database.db.insertInto('tasks').values(values).returning(['id', 'priority', 'due_at', 'created_at']).execute();
    rows = inserted.map((r) => ({ id: r.id, priority: r.priority as keyof typeof rank, due: r.due_at, created: r.created_at.getTime() }));
  });

  const newestFirst = (a: (typeof rows)[number], b: (typeof rows)[number]) => b.created - a.created || b.id - a.id;
  const dueKey = (row: (typeof rows)[number], missing: number) => row.due?.getTime() ?? missing;

  it.each([
    ['', () => [...rows].sort(newestFirst)],
    ['?sort=priority', () => [...rows].sort((a, b) => rank[b.priority] - rank[a.priority] || newestFirst(a, b))],
    ['?sort=due_date', () => [...rows].sort((a, b) => dueKey(a, Infinity) - dueKey(b, Infinity) || newestFirst(a, b))],
    ['?sort=-due_date', () => [...rows].sort((a, b) => dueKey(b, -Infinity) - dueKey(a, -Infinity) || newestFirst(a, b))],
  ])('%s: the contract order, as one JSON array', async (query, expected) => {
    const response = await call('GET', `/api/${user}/tasks${query}`, { as: { user } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.json.map((task: any) => task.id)).toEqual(expected().map((row) => row.id));
  });
});
