import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext } from '../context.ts';
import { createCaller } from '../router.ts';
import type { ListTasksInput, Task } from '../schemas.ts';

let database: TestDatabase;
const as = (userId: string) => createCaller(createInnerContext({ db: database.db, userId }));
const HOUR = 3_600_000;
const now = Date.now();

interface Fixture {
  title: string;
  description?: string | null;
  completed?: boolean;
  priority?: 'low' | 'medium' | 'high';
  dueInHours?: number | null;
  tags?: string[];
  /** Minutes after a fixed base: equal values make ties on purpose. */
  createdMinute: number;
  updatedMinute: number;
}

// Ties everywhere: shared created/updated minutes, shared due dates, repeated priorities and
// titles differing only in case, and several tasks with no due date.
const fixtures: Fixture[] = [
  { title: 'alpha', createdMinute: 1, updatedMinute: 5, priority: 'high', dueInHours: -48, tags: ['work'] },
  { title: 'Bravo', createdMinute: 1, updatedMinute: 5, priority: 'low', dueInHours: 24, tags: ['home', 'work'] },
  { title: 'charlie', createdMinute: 2, updatedMinute: 3, completed: true, dueInHours: -48, tags: ['work', 'urgent'] },
  { title: 'alpha', createdMinute: 2, updatedMinute: 9, priority: 'high', dueInHours: null },
  { title: 'Alpha', createdMinute: 3, updatedMinute: 9, priority: 'low', dueInHours: -2, tags: ['urgent'] },
  { title: 'delta', createdMinute: 3, updatedMinute: 1, completed: true, priority: 'high', dueInHours: 24, tags: ['home'] },
  { title: 'echo', createdMinute: 3, updatedMinute: 2, dueInHours: null, tags: ['home', 'urgent', 'work'] },
  { title: 'foxtrot', createdMinute: 4, updatedMinute: 7, priority: 'low', dueInHours: 200 },
  { title: 'golf', createdMinute: 5, updatedMinute: 7, completed: true, dueInHours: null, tags: ['errands'] },
  { title: 'hotel', createdMinute: 5, updatedMinute: 8, priority: 'high', dueInHours: -300, tags: ['work'] },
  { title: 'india', createdMinute: 6, updatedMinute: 8, dueInHours: 24 },
  { title: 'Juliet', createdMinute: 6, updatedMinute: 4, priority: 'low', dueInHours: -2, completed: true },
  { title: 'kilo', createdMinute: 7, updatedMinute: 6, priority: 'high', dueInHours: null, tags: ['errands', 'home'] },
  { title: 'lima', createdMinute: 7, updatedMinute: 6, dueInHours: 5 },
];

const base = Date.UTC(2026, 0, 1);
let tasks: Task[] = [];

async function insertFixtures(userId: string, rows: Fixture[]): Promise<Task[]> {
  await database.db.insertInto('users').values({ id: userId }).onConflict((oc) => oc.doNothing()).execute();
  const inserted = await database.db
    .insertInto('tasks')
    .values(
      rows.map((f) => ({
        user_id: userId,
        title: f.title,
        description: f.description ?? null,
        completed: f.completed ?? false,
        completed_at: f.completed ? new Date(base) : null,
        priority: f.priority ?? 'medium',
        due_at: f.dueInHours == null ? null : new Date(Math.floor(now / HOUR) * HOUR + f.dueInHours * HOUR),
        tags: f.tags ?? [],
        created_at: new Date(base + f.createdMinute * 60_000),
        updated_at: new Date(base + f.updatedMinute * 60_000),
      })),
    )
    .returning('id')
    .execute();
  const ids = inserted.map((r) => r.id);
  const listed = await walk(userId, { limit: 100 });
  return listed.filter((t) => ids.includes(t.id));
}

/** Every page of a list call, following nextCursor to the end. */
async function walk(userId: string, input: Exclude<ListTasksInput, undefined> | Record<string, unknown>): Promise<Task[]> {
  const seen: Task[] = [];
  let cursor: string | null | undefined;
  let pages = 0;
  do {
    const page = await as(userId).tasks.list({ ...input, cursor } as never);
    seen.push(...page.items);
    cursor = page.nextCursor;
    if (++pages > 200) throw new Error('cursor walk did not end');
  } while (cursor);
  return seen;
}

beforeAll(async () => {
  database = await createTestDatabase();
  tasks = await insertFixtures('lister', fixtures);
  // Another user with the same shapes of data: none of it may ever show up for 'lister'.
  await insertFixtures('neighbour', fixtures);
});
afterAll(async () => {
  await database?.destroy();
});

// The expected orders, written from the specification rather than from the query.
const byId = (a: Task, b: Task) => a.id - b.id;
const rankOf = { low: 0, medium: 1, high: 2 } as const;
type Comparator = (a: Task, b: Task) => number;
const ascending: Record<string, Comparator> = {
  createdAt: (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
  updatedAt: (a, b) => a.updatedAt.getTime() - b.updatedAt.getTime(),
  priority: (a, b) => rankOf[a.priority] - rankOf[b.priority],
  title: (a, b) => (a.title.toLowerCase() < b.title.toLowerCase() ? -1 : a.title.toLowerCase() > b.title.toLowerCase() ? 1 : 0),
};
function expectedOrder(sort: string, order: 'asc' | 'desc', list = tasks): number[] {
  const sign = order === 'asc' ? 1 : -1;
  if (sort === 'dueAt') {
    const dated = list.filter((t) => t.dueAt).sort((a, b) => sign * (a.dueAt!.getTime() - b.dueAt!.getTime() || byId(a, b)));
    const undated = list.filter((t) => !t.dueAt).sort((a, b) => sign * byId(a, b));
    return [...dated, ...undated].map((t) => t.id);
  }
  return [...list].sort((a, b) => sign * (ascending[sort]!(a, b) || byId(a, b))).map((t) => t.id);
}

describe('every sort, both orders, walked to the end by cursor', () => {
  for (const sort of ['createdAt', 'updatedAt', 'dueAt', 'priority', 'title'] as const) {
    for (const order of ['asc', 'desc'] as const) {
      it(`${sort} ${order}: each task once, in order, ties broken by id`, async () => {
        for (const limit of [1, 3, 5]) {
          const seen = (await walk('lister', { sort, order, limit })).map((t) => t.id);
          expect(seen).toEqual(expectedOrder(sort, order));
        }
      });
    }
  }

  it('default orders: newest first; priority high first; dueAt soonest first; title A→Z', async () => {
    expect((await walk('lister', { limit: 4 })).map((t) => t.id)).toEqual(expectedOrder('createdAt', 'desc'));
    expect((await walk('lister', { sort: 'priority', limit: 4 })).map((t) => t.id)).toEqual(expectedOrder('priority', 'desc'));
    expect((await walk('lister', { sort: 'dueAt', limit: 4 })).map((t) => t.id)).toEqual(expectedOrder('dueAt', 'asc'));
    expect((await walk('lister', { sort: 'title', limit: 4 })).map((t) => t.id)).toEqual(expectedOrder('title', 'asc'));
  });

  it('tasks without a due date come last in both orders', async () => {
    for (const order of ['asc', 'desc'] as const) {
      const seen = await walk('lister', { sort: 'dueAt', order, limit: 2 });
      const firstUndated = seen.findIndex((t) => t.dueAt === null);
      expect(firstUndated).toBeGreaterThan(0);
      expect(seen.slice(firstUndated).every((t) => t.dueAt === null)).toBe(true);
    }
  });
});

describe('filters, alone and combined', () => {
  const dueAt = (t: Task) => t.dueAt?.getTime();
  const overdue = (t: Task) => !t.completed && t.dueAt !== null && t.dueAt.getTime() < Date.now();
  const cutoff = new Date(Math.floor(now / HOUR) * HOUR + 24 * HOUR);
  const cases: Array<[string, Record<string, unknown>, (t: Task) => boolean]> = [
    ['status pending', { status: 'pending' }, (t) => !t.completed],
    ['status completed', { status: 'completed' }, (t) => t.completed],
    ['one priority', { priority: 'high' }, (t) => t.priority === 'high'],
    ['several priorities', { priority: ['low', 'high'] }, (t) => t.priority !== 'medium'],
    ['one tag', { tag: 'home' }, (t) => t.tags.includes('home')],
    ['all of several tags', { tag: ['work', 'urgent'] }, (t) => t.tags.includes('work') && t.tags.includes('urgent')],
    ['a tag in another case', { tag: 'HOME ' }, (t) => t.tags.includes('home')],
    ['dueBefore (exclusive)', { dueBefore: cutoff }, (t) => dueAt(t) !== undefined && dueAt(t)! < cutoff.getTime()],
    ['dueAfter (inclusive)', { dueAfter: cutoff }, (t) => dueAt(t) !== undefined && dueAt(t)! >= cutoff.getTime()],
    ['overdue', { overdue: true }, overdue],
    ['not overdue', { overdue: false }, (t) => !overdue(t)],
    ['pending + high + work', { status: 'pending', priority: 'high', tag: 'work' }, (t) => !t.completed && t.priority === 'high' && t.tags.includes('work')],
    ['overdue + low', { overdue: true, priority: 'low' }, (t) => overdue(t) && t.priority === 'low'],
    [
      'due window + tag + completed',
      { dueAfter: new Date(now - 100 * HOUR), dueBefore: cutoff.toISOString(), tag: 'urgent', status: 'completed' },
      (t) => dueAt(t) !== undefined && dueAt(t)! >= now - 100 * HOUR && dueAt(t)! < cutoff.getTime() && t.tags.includes('urgent') && t.completed,
    ],
  ];

  for (const [name, filter, predicate] of cases) {
    it(`${name}`, async () => {
      const expected = tasks.filter(predicate);
      expect(expected.length).toBeGreaterThan(0);
      for (const sort of ['createdAt', 'dueAt', 'title'] as const) {
        const seen = await walk('lister', { ...filter, sort, limit: 2 });
        expect(seen.map((t) => t.id)).toEqual(expectedOrder(sort, sort === 'createdAt' ? 'desc' : 'asc', expected));
      }
    });
  }

  it('an empty intersection is an empty page, not an error', async () => {
    expect(await as('lister').tasks.list({ tag: ['errands', 'urgent'], priority: 'low' })).toEqual({ items: [], nextCursor: null });
  });
});

describe('isolation', () => {
  it("another user's tasks never appear, whatever the filter, sort or search", async () => {
    const neighbourIds = new Set((await walk('neighbour', { limit: 100 })).map((t) => t.id));
    expect(neighbourIds.size).toBe(fixtures.length);
    const inputs: Record<string, unknown>[] = [
      {},
      { status: 'completed' },
      { tag: 'work' },
      { overdue: true },
      { q: 'alpha' },
      { q: 'alpha', sort: 'title' },
      { sort: 'dueAt', order: 'desc' },
      { sort: 'priority' },
      { dueAfter: new Date(0) },
    ];
    for (const input of inputs) {
      const seen = await walk('lister', { ...input, limit: 3 });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((t) => neighbourIds.has(t.id) || t.userId !== 'lister')).toEqual([]);
    }
    expect(await walk('stranger', { q: 'alpha' })).toEqual([]);
  });
});
