// Migration 0006 on a database that already holds dues: midnight-UTC instants become dates, every
// other instant stays, and the trigger-kept counters agree with the rows afterwards (and after down).
import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider } from './index.ts';

let database: TestDatabase;
let migrator: Migrator;
const UPDATED = new Date('2026-01-01T00:00:00.000Z');

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  migrator = new Migrator({ db: database.db, provider: migrationProvider });
  const { error } = await migrator.migrateTo('0005_newest_tie_indexes');
  if (error) throw error;
  await database.db.insertInto('users').values({ id: 'm' }).execute();
  const rows: Array<[string, string | null, boolean]> = [
    ['midnight', '2026-12-01T00:00:00.000Z', false],
    ['midnight, done', '2026-12-02T00:00:00.000Z', true],
    ['one ms past', '2026-12-01T00:00:00.001Z', false],
    ['afternoon', '2026-12-01T15:00:00.000Z', false],
    ['midnight in Paris', '2026-11-30T23:00:00.000Z', false],
    ['none', null, false],
  ];
  await database.db
    .insertInto('tasks')
    .values(rows.map(([title, due, completed]) => ({ user_id: 'm', title, completed, due_at: due ? new Date(due) : null, updated_at: UPDATED })))
    .execute();
});
afterAll(async () => {
  await database?.destroy();
});

/** Whether `tasks.due_date` exists (it does between up and down). */
let columnExists = false;

type Dues = Record<string, { dueAt: string | null; dueDate: string | null; bumped: boolean }>;

async function dues(): Promise<Dues> {
  const { rows } = await sql<{ title: string; due_at: Date | null; due_date: string | null; updated_at: Date }>`
    select title, due_at, ${sql.raw(columnExists ? "to_char(due_date, 'YYYY-MM-DD')" : 'null')} as due_date, updated_at from tasks`.execute(database.db);
  return Object.fromEntries(
    rows.map((r) => [r.title, { dueAt: r.due_at?.toISOString() ?? null, dueDate: r.due_date, bumped: r.updated_at > UPDATED }]),
  );
}
/** The counters as the triggers keep them, and as the rows say they should be. */
async function counters() {
  const kept = await sql<{ kind: string; day: string; pending: number }>`
    select 'instant' as kind, to_char(due_day, 'YYYY-MM-DD') as day, pending from task_due_counts where pending <> 0
    union all select 'date', to_char(due_date, 'YYYY-MM-DD'), pending from task_due_date_counts where pending <> 0
    order by 1, 2`.execute(database.db);
  const fromRows = await sql<{ kind: string; day: string; pending: number }>`
    select 'instant' as kind, to_char((due_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as pending
      from tasks where not completed and due_at is not null group by 2
    union all select 'date', to_char(due_date, 'YYYY-MM-DD'), count(*)::int from tasks where not completed and due_date is not null group by 2
    order by 1, 2`.execute(database.db);
  return { kept: kept.rows, fromRows: fromRows.rows };
}

describe('0006_date_only_dues', () => {
  it('turns dues at exactly midnight UTC into date-only dues, bumping updated_at, and leaves every other due alone', async () => {
    const { error } = await migrator.migrateTo('0006_date_only_dues');
    if (error) throw error;
    columnExists = true;
    expect(await dues()).toEqual({
      midnight: { dueAt: null, dueDate: '2026-12-01', bumped: true },
      'midnight, done': { dueAt: null, dueDate: '2026-12-02', bumped: true },
      'one ms past': { dueAt: '2026-12-01T00:00:00.001Z', dueDate: null, bumped: false },
      afternoon: { dueAt: '2026-12-01T15:00:00.000Z', dueDate: null, bumped: false },
      'midnight in Paris': { dueAt: '2026-11-30T23:00:00.000Z', dueDate: null, bumped: false },
      none: { dueAt: null, dueDate: null, bumped: false },
    });
    const { kept, fromRows } = await counters();
    expect(kept).toEqual(fromRows);
    expect(kept.filter((c) => c.kind === 'date')).toEqual([{ kind: 'date', day: '2026-12-01', pending: 1 }]);
  });

  it('refuses a task with both kinds of due', async () => {
    const attempt = database.db
      .insertInto('tasks')
      .values({ user_id: 'm', title: 'both', due_at: new Date(), due_date: '2026-12-01' })
      .execute();
    await expect(attempt).rejects.toThrow(/tasks_one_due/);
  });

  it('down turns dates back into midnight UTC instants, with the counters right', async () => {
    const { error } = await migrator.migrateTo('0005_newest_tie_indexes');
    if (error) throw error;
    columnExists = false;
    const after = await dues();
    expect(after['midnight']!.dueAt).toBe('2026-12-01T00:00:00.000Z');
    expect(after['midnight, done']!.dueAt).toBe('2026-12-02T00:00:00.000Z');
    const kept = await sql<{ day: string; pending: number }>`
      select to_char(due_day, 'YYYY-MM-DD') as day, pending from task_due_counts where pending <> 0 order by 1`.execute(database.db);
    expect(kept.rows).toEqual([
      { day: '2026-11-30', pending: 1 },
      { day: '2026-12-01', pending: 3 },
    ]);
  });
});
