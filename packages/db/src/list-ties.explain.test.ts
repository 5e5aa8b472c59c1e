// The plans of lists with ties: 'newest' (the original routes' orders): each page is a range of the
// index made for its order, read from the cursor on, even deep inside a run of equal keys; nothing
// sorts more than the two parts of one page.
import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListTasksQuery, listTasks, positionAfter, type TaskListQuery } from './list-tasks.ts';
import { seedTasks } from './seed.ts';

let database: TestDatabase;
const LIMIT = 101;
const RUN_USER = 'run-user';
const RUN = 3_000;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedTasks(database.db, { users: 20, tasksPerUser: 500 });
  // One user whose tasks are all medium priority, two thirds without a due date and the rest due at
  // one instant: every order below is a few runs far longer than a page. Creation times run against the ids.
  await database.db.insertInto('users').values({ id: RUN_USER }).execute();
  await sql`insert into tasks (user_id, title, priority, due_at, created_at, updated_at)
    select ${RUN_USER}, 'Run task ' || g, 'medium', case when g % 3 = 0 then timestamptz '2026-06-01' end,
      timestamptz '2026-01-01' - (g % 500) * interval '1 minute', timestamptz '2026-01-01'
    from generate_series(1, ${RUN}) as g`.execute(database.db);
  await sql`analyze tasks`.execute(database.db);
});
afterAll(async () => {
  await database?.destroy();
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

async function analyze(userId: string, query: TaskListQuery): Promise<PlanNode> {
  const compiled = buildListTasksQuery(database.db, userId, query).compile();
  const explain = CompiledQuery.raw(`explain (analyze, format json) ${compiled.sql}`, [...compiled.parameters]);
  const { rows } = await database.db.executeQuery<Record<string, unknown>>(explain);
  const output = Object.values(rows[0]!)[0];
  const parsed = (typeof output === 'string' ? JSON.parse(output) : output) as Array<{ Plan: PlanNode }>;
  return parsed[0]!.Plan;
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** A position deep inside the user's list: after its first `skip` tasks. */
async function positionAt(userId: string, query: TaskListQuery, skip: number) {
  const rows = await listTasks(database.db, userId, { ...query, limit: skip });
  return positionAfter(rows.at(-1)!, query);
}

const orders: Array<[string, TaskListQuery, string]> = [
  ['priority desc', { sort: 'priority', order: 'desc', ties: 'newest', limit: LIMIT }, 'tasks_user_priority_newest_idx'],
  ['dueAt asc', { sort: 'dueAt', order: 'asc', ties: 'newest', limit: LIMIT }, 'tasks_user_due_asc_newest_idx'],
  ['dueAt desc', { sort: 'dueAt', order: 'desc', ties: 'newest', limit: LIMIT }, 'tasks_user_due_desc_newest_idx'],
  ['createdAt desc', { sort: 'createdAt', order: 'desc', ties: 'newest', limit: LIMIT }, 'tasks_user_created_idx'],
];

/** The indexes a plan reads (an index scan's, or a bitmap's under its heap scan). */
const indexesRead = (plan: PlanNode[]) => new Set(plan.flatMap((node) => (node['Index Name'] ? [node['Index Name']] : [])));

describe("lists with ties: 'newest' read their own index, a page at a time", () => {
  for (const [name, query, index] of orders) {
    for (const skip of [1_500, RUN - 40]) {
      it(`${name}: the first page and the page after ${skip} of ${RUN} tasks in long runs are ranges of ${index}`, async () => {
        for (const after of [undefined, await positionAt(RUN_USER, query, skip)]) {
          const plan = nodes(await analyze(RUN_USER, { ...query, after }));
          expect(indexesRead(plan)).toEqual(new Set([index]));
          const scans = plan.filter((node) => node['Relation Name'] === 'tasks');
          expect(scans.length).toBeGreaterThan(0);
          for (const scan of scans) {
            expect(scan['Node Type']).toMatch(/^Index (Only )?Scan$/);
            // From the cursor on, in order: no row of the run before it is read and dropped.
            expect(scan['Actual Rows']).toBeLessThanOrEqual(LIMIT);
            expect(scan['Rows Removed by Filter'] ?? 0).toBe(0);
          }
          // A sort, if any, orders the two parts of one page, never the user's tasks.
          for (const sort of plan.filter((node) => node['Node Type'] === 'Sort')) {
            expect(sort.Plans![0]!['Actual Rows']).toBeLessThanOrEqual(2 * LIMIT);
          }
        }
      });
    }

    // A user of 500 tasks with the seed's mix: the planner may read what is left after a late
    // cursor as a bitmap and sort it, but always through this order's index.
    it(`${name}: an ordinary user's pages read ${index}, never the whole table`, async () => {
      for (const after of [undefined, await positionAt('seed-user-3', query, 250)]) {
        const plan = nodes(await analyze('seed-user-3', { ...query, after }));
        expect(indexesRead(plan)).toEqual(new Set([index]));
        expect(plan.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
      }
    });
  }

  it('with the status filter too: the same indexes, and no sort of more than one page', async () => {
    for (const [, query, index] of orders) {
      const after = await positionAt(RUN_USER, { ...query, completed: false }, 1_000);
      const plan = nodes(await analyze(RUN_USER, { ...query, completed: false, after }));
      expect(indexesRead(plan)).toEqual(new Set([index]));
      for (const sort of plan.filter((node) => node['Node Type'] === 'Sort')) {
        expect(sort.Plans![0]!['Actual Rows']).toBeLessThanOrEqual(2 * LIMIT);
      }
    }
  });
});
