import { sql, type Kysely } from 'kysely';

// A NOTIFY serializes commits: PostgreSQL holds one database-wide lock from the notifying
// transaction's pre-commit until its commit is flushed, so every write of tasks queued behind every
// other's WAL flush (bench/README.md, "Writes behind NOTIFY"). The log triggers of 0008 now notify
// only while some instance has an event stream open: `change_listeners` holds one row per such
// instance, kept alive by its heartbeat (change-listener.ts). With no row, a write only logs.
//
// The check takes ACCESS SHARE on `change_listeners` before its statement's snapshot (a plan's locks
// come before the snapshot it runs on) and keeps it until the writer ends. An instance registering
// commits its row, then reads from pg_locks which transactions hold a lock on the table, and waits
// for them: any other writer took its snapshot after the row was in, and notifies. A writer under
// repeatable read or serializable may check on a snapshot from before the row: it always notifies.
//
// Instances still running the code from before this migration never add a row, yet their streams
// rely on every write notifying: on a database that already has tasks or changes, a row in their name keeps
// writes notifying for an hour, the time a rolling deploy has to replace them.
const LOGGED = ['insert', 'update', 'delete'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table change_listeners (
    instance_id text primary key,
    expires_at timestamptz(3) not null
  )`.execute(db);
  for (const op of LOGGED) await sql.raw(logFunction(op, true)).execute(db);
  await sql`insert into change_listeners (instance_id, expires_at)
    select 'instances before 0009', now() + interval '1 hour'
    where exists (select 1 from tasks) or exists (select 1 from task_changes)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const op of LOGGED) await sql.raw(logFunction(op, false)).execute(db);
  await db.schema.dropTable('change_listeners').execute();
}

function logFunction(op: (typeof LOGGED)[number], onlyWhenListened: boolean): string {
  const rows = op === 'delete' ? 'old_rows' : 'new_rows';
  const deleted = op === 'delete';
  const listened = onlyWhenListened
    ? `\n    where exists (select 1 from change_listeners where expires_at > now())
      or current_setting('transaction_isolation') <> 'read committed'`
    : '';
  return `create or replace function tasks_log_${op}() returns trigger language plpgsql as $$
begin
  insert into task_changes (user_id, task_id, deleted) select user_id, id, ${deleted} from ${rows} order by id;
  perform pg_notify('task_changes', case when octet_length(user_id) <= 7000 then user_id else '' end)
    from (select distinct user_id from ${rows}) u${listened};
  return null;
end $$`;
}
