// The plans of every list query shape: each reads tasks through an index, never a sequential scan.
import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListTasksQuery, TASK_SORTS, type TaskListQuery } from './list-tasks.ts';
import { seedTasks } from './seed.ts';
import type { Db } from './tasks-queries.ts';

let database: TestDatabase;
const USER = 'seed-user-3';

beforeAll(async () => {
  database = await createTestDatabase();
  await seedTasks(database.db, { users: 20, tasksPerUser: 500 });
  await sql`analyze tasks`.execute(database.db);
});
afterAll(async () => {
  await database?.destroy();
});

async function plan(db: Db, query: TaskListQuery): Promise<string> {
  const compiled = buildListTasksQuery(db, USER, query).compile();
  const result = await db.executeQuery<Record<string, string>>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
  return result.rows.map((row) => Object.values(row)[0]).join('\n');
}

const after = {
  createdAt: { key: new Date(Date.now() - 200 * 86_400_000), id: 1_000_000 },
  updatedAt: { key: new Date(Date.now() - 200 * 86_400_000), id: 1_000_000 },
  dueAt: { key: new Date(Date.now() + 10 * 86_400_000), id: 1_000_000 },
  priority: { key: 'medium', id: 1_000_000 },
  title: { key: 'Order groceries', id: 1_000_000 },
} as const;

const shapes: Array<[string, TaskListQuery]> = [];
for (const sort of TASK_SORTS) {
  for (const order of ['asc', 'desc'] as const) {
    shapes.push([`${sort} ${order}, first page`, { sort, order, limit: 21 }]);
    shapes.push([`${sort} ${order}, by cursor`, { sort, order, limit: 21, after: after[sort] }]);
  }
}
shapes.push(
  ['dueAt with no due date in the cursor', { sort: 'dueAt', order: 'asc', limit: 21, after: { key: null, id: 5 } }],
  ['status filter', { sort: 'createdAt', order: 'desc', limit: 21, completed: false }],
  ['priority filter', { sort: 'createdAt', order: 'desc', limit: 21, priorities: ['high', 'low'] }],
  ['tag filter', { sort: 'createdAt', order: 'desc', limit: 21, tags: ['work', 'urgent'] }],
  ['due window', { sort: 'dueAt', order: 'asc', limit: 21, dueAfter: new Date(Date.now() - 86_400_000), dueBefore: new Date() }],
  ['overdue', { sort: 'createdAt', order: 'desc', limit: 21, overdue: true }],
  ['overdue by due date', { sort: 'dueAt', order: 'asc', limit: 21, overdue: true }],
  ['overdue in a time zone', { sort: 'createdAt', order: 'desc', limit: 21, overdue: true, timeZone: 'America/New_York', now: new Date() }],
  ['due today in a time zone', { sort: 'dueAt', order: 'asc', limit: 21, dueToday: true, timeZone: 'Europe/Paris', now: new Date() }],
  // Another zone than the indexes' UTC orders the user's dated rows itself (a top-N sort), still by index.
  ['dueAt in another zone', { sort: 'dueAt', order: 'asc', limit: 21, timeZone: 'America/New_York' }],
  ['ranked search', { sort: 'rank', order: 'desc', limit: 21, search: 'invoice' }],
  ['ranked search by cursor', { sort: 'rank', order: 'desc', limit: 21, search: 'invoice', after: { key: 0.5, id: 99 } }],
  ['search sorted by title', { sort: 'title', order: 'asc', limit: 21, search: 'dentist appointment' }],
  ['everything combined', {
    sort: 'priority', order: 'desc', limit: 21, completed: false, priorities: ['high'], tags: ['work'],
    dueBefore: new Date(Date.now() + 30 * 86_400_000), overdue: false, search: 'report',
  }],
);

describe('list query plans use an index', () => {
  it.each(shapes)('%s: an index is usable (enable_seqscan = off)', async (_name, query) => {
    await database.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const text = await plan(trx, query);
      expect(text).toMatch(/Index|Bitmap/);
      expect(text).not.toMatch(/Seq Scan on tasks/);
    });
  });

  // With 10,000 rows over 20 users and fresh statistics the planner must pick an index by itself.
  it.each(shapes.filter(([name]) => /page|cursor/.test(name) && !/rank/.test(name)))(
    '%s: the planner chooses an index (10,000 rows, ANALYZE, default settings)',
    async (_name, query) => {
      const text = await plan(database.db, query);
      expect(text).not.toMatch(/Seq Scan on tasks/);
      expect(text).toMatch(/Index Scan|Index Only Scan/);
      // Keyset pages come straight off the index in order: no sort step over the user's tasks.
      expect(text).not.toMatch(/Sort Key/);
    },
  );
});
