import { sql, type Kysely } from 'kysely';

// The changes feed (issue #22): one row per changed task per statement, written by triggers so that
// every writer (the API, the original routes, the seed script, psql) is recorded. Each row carries
// the writing transaction's id (xid8). A reader hands out positions only below the oldest
// transaction of this database still running in its snapshot (task-changes.ts, `feedBound`): every
// writer with a smaller id has ended, so nothing can later commit below a token already given out,
// however early it started and late it commits. A sequence alone cannot promise that: a transaction holding seq 5 may commit after
// one holding seq 6 has been read past.
//
// Commits notify channel `task_changes` with the user id (or '' for "everyone", when an id would not
// fit NOTIFY's 8,000-byte payload); listeners then read the feed, so a lost notification costs
// latency, never a change.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table task_changes (
    seq bigint generated always as identity primary key,
    xid xid8 not null default pg_current_xact_id(),
    user_id text not null,
    task_id integer not null,
    deleted boolean not null,
    changed_at timestamptz(3) not null default clock_timestamp()
  )`.execute(db);
  await sql`create index task_changes_user_position_idx on task_changes (user_id, xid, seq)`.execute(db);
  // Retention purges by age, in small batches.
  await sql`create index task_changes_changed_at_idx on task_changes (changed_at)`.execute(db);

  for (const [op, rows, deleted] of [
    ['insert', 'new_rows', 'false'],
    ['update', 'new_rows', 'false'],
    ['delete', 'old_rows', 'true'],
  ] as const) {
    await sql.raw(`create function tasks_log_${op}() returns trigger language plpgsql as $$
begin
  insert into task_changes (user_id, task_id, deleted) select user_id, id, ${deleted} from ${rows} order by id;
  perform pg_notify('task_changes', case when octet_length(user_id) <= 7000 then user_id else '' end)
    from (select distinct user_id from ${rows}) u;
  return null;
end $$`).execute(db);
    const transition = op === 'delete' ? 'old table as old_rows' : 'new table as new_rows';
    await sql.raw(`create trigger tasks_log_${op} after ${op} on tasks referencing ${transition}
      for each statement execute function tasks_log_${op}()`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const op of ['insert', 'update', 'delete']) {
    await sql.raw(`drop trigger tasks_log_${op} on tasks`).execute(db);
    await sql.raw(`drop function tasks_log_${op}()`).execute(db);
  }
  await db.schema.dropTable('task_changes').execute();
}
