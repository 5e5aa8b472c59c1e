// tasks.list with ties: 'newest' (the original routes' tie order: created_at desc, then id desc),
// walked page by page through runs of equal values longer than a page.
import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createInnerContext } from '../context.ts';
import { createCaller } from '../router.ts';
import type { ListTasksInput, Task } from '../schemas.ts';

let database: TestDatabase;
const as = (userId: string) => createCaller(createInnerContext({ db: database.db, userId }));
type ListInput = Exclude<z.input<typeof ListTasksInput>, undefined>;

const COUNT = 90;
const base = Date.UTC(2026, 0, 1);
const PRIORITIES = ['low', 'medium', 'high'] as const;
const TITLES = ['alpha', 'Alpha', 'bravo', 'BRAVO', 'charlie'];

/**
 * Task i of the fixture. Creation times run against the ids (a later id is often older) and repeat
 * (several tasks share a millisecond, so the id decides); 40 tasks are high priority, 30 are due at
 * one instant and 30 have no due date: each a run longer than the pages below.
 */
function fixture(i: number) {
  const due = i % 3 === 0 ? null : i % 3 === 1 ? new Date(base + 86_400_000) : new Date(base + (i % 11) * 3_600_000);
  return {
    title: TITLES[i % TITLES.length]!,
    description: 'same words for every task',
    completed: i % 5 === 0,
    priority: i < 40 ? 'high' : PRIORITIES[i % 2],
    due_at: due,
    created_at: new Date(base - ((i * 37) % 23) * 60_000),
    updated_at: new Date(base + ((i * 13) % 17) * 60_000),
  } as const;
}

let tasks: Task[] = [];

/** Every page of a list call, following nextCursor to the end. */
async function walk(userId: string, input: ListInput): Promise<Task[]> {
  const seen: Task[] = [];
  let cursor: string | null | undefined;
  for (let pages = 0; pages <= COUNT + 1; pages++) {
    const page = await as(userId).tasks.list({ ...input, cursor });
    seen.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('cursor walk did not end');
}

beforeAll(async () => {
  database = await createTestDatabase();
  for (const userId of ['tie-lister', 'tie-neighbour']) {
    await database.db.insertInto('users').values({ id: userId }).execute();
    await database.db
      .insertInto('tasks')
      .values(Array.from({ length: COUNT }, (_, i) => ({ user_id: userId, ...fixture(i) })))
      .execute();
  }
  tasks = await walk('tie-lister', { limit: 100 });
});
afterAll(async () => {
  await database?.destroy();
});

// The expected orders, from the contract: the sort's value (no due date last in both orders), then
// created_at desc, then id desc.
const rankOf = { low: 0, medium: 1, high: 2 } as const;
const time = (date: Date) => date.getTime();
const compareValue: Record<string, (a: Task, b: Task) => number> = {
  createdAt: (a, b) => time(a.createdAt) - time(b.createdAt),
  updatedAt: (a, b) => time(a.updatedAt) - time(b.updatedAt),
  priority: (a, b) => rankOf[a.priority] - rankOf[b.priority],
  title: (a, b) => (a.title.toLowerCase() < b.title.toLowerCase() ? -1 : a.title.toLowerCase() > b.title.toLowerCase() ? 1 : 0),
  dueAt: (a, b) => time(a.dueAt!) - time(b.dueAt!),
};
const newestFirst = (a: Task, b: Task) => time(b.createdAt) - time(a.createdAt) || b.id - a.id;

function expectedOrder(sort: string, order: 'asc' | 'desc', list: Task[] = tasks): number[] {
  const sign = order === 'asc' ? 1 : -1;
  const sorted = (items: Task[]) => [...items].sort((a, b) => sign * compareValue[sort]!(a, b) || newestFirst(a, b));
  if (sort !== 'dueAt') return sorted(list).map((t) => t.id);
  return [...sorted(list.filter((t) => t.dueAt)), ...[...list.filter((t) => !t.dueAt)].sort(newestFirst)].map((t) => t.id);
}

describe('the fixture has what the tie order must handle', () => {
  it('creation times that disagree with ids, shared creation times, and runs longer than a page', () => {
    expect(tasks).toHaveLength(COUNT);
    const byId = [...tasks].sort((a, b) => a.id - b.id);
    const inversions = byId.filter((t, i) => i > 0 && time(t.createdAt) < time(byId[i - 1]!.createdAt));
    expect(inversions.length).toBeGreaterThan(20);
    expect(new Set(tasks.map((t) => time(t.createdAt))).size).toBeLessThan(COUNT / 2);
    expect(tasks.filter((t) => t.priority === 'high').length).toBe(40);
    expect(tasks.filter((t) => t.dueAt === null).length).toBe(30);
    expect(tasks.filter((t) => t.dueAt?.getTime() === base + 86_400_000).length).toBe(30);
  });
});

describe("ties: 'newest', walked to the end by cursor", () => {
  // The original routes' orders first, then every other sort and order.
  const orders: Array<[ListInput['sort'], 'asc' | 'desc']> = [
    ['priority', 'desc'],
    ['dueAt', 'asc'],
    ['dueAt', 'desc'],
    ['createdAt', 'desc'],
    ['priority', 'asc'],
    ['createdAt', 'asc'],
    ['updatedAt', 'asc'],
    ['updatedAt', 'desc'],
    ['title', 'asc'],
    ['title', 'desc'],
  ];
  for (const [sort, order] of orders) {
    it(`${sort} ${order}: each task once, equal values newest first, then by id desc`, async () => {
      for (const limit of [1, 7, 100]) {
        const seen = (await walk('tie-lister', { sort, order, ties: 'newest', limit })).map((t) => t.id);
        expect(seen, `limit ${limit}`).toEqual(expectedOrder(sort!, order));
      }
    });
  }

  it('with filters: the pending tasks only, in the same order', async () => {
    const pending = tasks.filter((t) => !t.completed);
    for (const [sort, order] of [['priority', 'desc'], ['dueAt', 'asc'], ['dueAt', 'desc']] as const) {
      const seen = await walk('tie-lister', { status: 'pending', sort, order, ties: 'newest', limit: 6 });
      expect(seen.map((t) => t.id)).toEqual(expectedOrder(sort, order, pending));
    }
  });

  it('a search whose matches all rank equal lists them newest first', async () => {
    const seen = await walk('tie-lister', { q: 'same words', ties: 'newest', limit: 8 });
    expect(seen.map((t) => t.id)).toEqual([...tasks].sort(newestFirst).map((t) => t.id));
  });

  it("another user's tasks never appear", async () => {
    const seen = await walk('tie-lister', { sort: 'dueAt', ties: 'newest', limit: 9 });
    expect(seen.every((t) => t.userId === 'tie-lister')).toBe(true);
  });

  it("the default (ties: 'id', or none) still breaks ties by id in the sort's direction", async () => {
    const byIdDesc = (list: Task[]) => [...list].sort((a, b) => -compareValue.priority!(a, b) || b.id - a.id).map((t) => t.id);
    expect((await walk('tie-lister', { sort: 'priority', limit: 7 })).map((t) => t.id)).toEqual(byIdDesc(tasks));
    expect((await walk('tie-lister', { sort: 'priority', ties: 'id', limit: 7 })).map((t) => t.id)).toEqual(byIdDesc(tasks));
  });
});

describe('cursors belong to their tie order', () => {
  const list = (input: ListInput) => as('tie-lister').tasks.list(input);

  it('a cursor made under one tie order is refused under the other, both ways', async () => {
    const newest = await list({ sort: 'priority', ties: 'newest', limit: 5 });
    const byId = await list({ sort: 'priority', limit: 5 });
    await expect(list({ sort: 'priority', limit: 5, cursor: newest.nextCursor })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(list({ sort: 'priority', ties: 'newest', limit: 5, cursor: byId.nextCursor })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // ties: 'id' is the default itself, so its cursors are the default's.
    expect((await list({ sort: 'priority', ties: 'id', limit: 5, cursor: byId.nextCursor })).items).toHaveLength(5);
  });

  it('a newest-first cursor carries the creation time it resumes from; one without it is invalid', async () => {
    const page = await list({ sort: 'dueAt', ties: 'newest', limit: 5 });
    const json = JSON.parse(Buffer.from(page.nextCursor!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(json.c).toBe(page.items.at(-1)!.createdAt.getTime());
    const { c: _c, ...withoutTime } = json;
    const stripped = Buffer.from(JSON.stringify(withoutTime)).toString('base64url');
    await expect(list({ sort: 'dueAt', ties: 'newest', limit: 5, cursor: stripped })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Invalid cursor'),
    });
    const badTime = Buffer.from(JSON.stringify({ ...json, c: 'yesterday' })).toString('base64url');
    await expect(list({ sort: 'dueAt', ties: 'newest', limit: 5, cursor: badTime })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('cursors of the default tie order are as before: no creation time in them', async () => {
    const page = await list({ sort: 'dueAt', limit: 5 });
    const json = JSON.parse(Buffer.from(page.nextCursor!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['f', 'i', 'k']);
  });

  it('refuses an unknown tie order', async () => {
    await expect(list({ ties: 'oldest' } as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
