import { sql, type Kysely } from 'kysely';

// A NOTIFY serializes commits: PostgreSQL holds one database-wide lock from the notifying
// transaction's pre-commit until its commit is flushed, so every write of tasks queued behind every
// other's WAL flush (bench/README.md, "Writes behind NOTIFY"). The log triggers of 0008 now notify
// only while some instance has an event stream open: `change_listeners` holds one row per such
// instance, kept alive by its heartbeat (change-listener.ts). With no row, a write only logs.
//
// The check runs in the writing statement and holds an ACCESS SHARE lock on `change_listeners`
// until the writer ends; an instance registering takes ACCESS EXCLUSIVE first, so it waits out every
// writer that checked before it. After it commits, a writer either ended before (its change lies
// before any stream the instance then starts) or sees the row and notifies.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table change_listeners (
    instance_id text primary key,
    expires_at timestamptz(3) not null
  )`.execute(db);
  for (const [op, rows] of [
    ['insert', 'new_rows'],
    ['update', 'new_rows'],
    ['delete', 'old_rows'],
  ] as const) {
    await sql.raw(logFunction(op, rows, op === 'delete', true)).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [op, rows] of [
    ['insert', 'new_rows'],
    ['update', 'new_rows'],
    ['delete', 'old_rows'],
  ] as const) {
    await sql.raw(logFunction(op, rows, op === 'delete', false)).execute(db);
  }
  await db.schema.dropTable('change_listeners').execute();
}

function logFunction(op: string, rows: string, deleted: boolean, onlyWhenListened: boolean): string {
  const listened = onlyWhenListened ? `\n    where exists (select 1 from change_listeners where expires_at > now())` : '';
  return `create or replace function tasks_log_${op}() returns trigger language plpgsql as $$
begin
  insert into task_changes (user_id, task_id, deleted) select user_id, id, ${deleted} from ${rows} order by id;
  perform pg_notify('task_changes', case when octet_length(user_id) <= 7000 then user_id else '' end)
    from (select distinct user_id from ${rows}) u${listened};
  return null;
end $$`;
}
