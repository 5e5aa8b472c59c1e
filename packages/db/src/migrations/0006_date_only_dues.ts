import { sql, type Kysely } from 'kysely';

// A task's due is an instant (`due_at`) or a calendar date, due the whole day (`due_date`), never both.
//
// Sorting by due puts a date-only due at the start of its day in the caller's time zone. The indexes
// of 0002 and 0005 are rebuilt on that key for UTC (the default zone, and the original routes' unless
// APP_TIME_ZONE says otherwise), so those orders stay range scans; the date ↦ start-of-day mapping is
// `timezone('UTC', due_date::timestamp)`, which PostgreSQL marks immutable.
//
// Dues already stored at exactly midnight UTC become date-only. Before this migration a bare
// `YYYY-MM-DD` was the only way the original routes could be given a due (SEED-CONTRACT.md: "a bare
// YYYY-MM-DD in a body means midnight UTC"), and the original front end sends nothing else; the
// contract now says such a body is that date. Which surface wrote a midnight value is not recorded,
// so every one is converted: an instant given as exactly 00:00:00.000Z on purpose becomes due for
// the whole of that UTC day, which only moves when it counts as overdue (at the day's end, not its
// start). Each converted task's `updated_at` moves on, as for any change a client can see.
//
// Pending date-only dues are counted per date by triggers of their own, beside 0002's per-UTC-day
// counts of instants, so stats still cost the same whatever the number of tasks.
const key = (none: string) => `coalesce(due_at, timezone('UTC', due_date::timestamp), '${none}'::timestamptz)`;
const indexes: Array<[string, string, string]> = [
  ['tasks_user_due_asc_idx', 'user_id, coalesce(due_at, \'infinity\'::timestamptz), id', `user_id, ${key('infinity')}, id`],
  ['tasks_user_due_desc_idx', 'user_id, coalesce(due_at, \'-infinity\'::timestamptz), id', `user_id, ${key('-infinity')}, id`],
  [
    'tasks_user_due_asc_newest_idx',
    "user_id, coalesce(due_at, 'infinity'::timestamptz), created_at desc, id desc",
    `user_id, ${key('infinity')}, created_at desc, id desc`,
  ],
  [
    'tasks_user_due_desc_newest_idx',
    "user_id, coalesce(due_at, '-infinity'::timestamptz) desc, created_at desc, id desc",
    `user_id, ${key('-infinity')} desc, created_at desc, id desc`,
  ],
];

const counting: Array<[string, string]> = [
  ['insert', 'select user_id, completed, due_date, 1 as sign from new_rows'],
  ['update', 'select user_id, completed, due_date, 1 as sign from new_rows union all select user_id, completed, due_date, -1 from old_rows'],
  ['delete', 'select user_id, completed, due_date, -1 as sign from old_rows'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table tasks add column due_date date,
    add constraint tasks_one_due check (due_at is null or due_date is null),
    add constraint tasks_due_date_range check (due_date between date '0001-01-01' and date '9999-12-31')`.execute(db);
  for (const [name, , expression] of indexes) {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on('tasks').expression(sql.raw(expression)).execute();
  }

  await db.schema
    .createTable('task_due_date_counts')
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('due_date', 'date', (col) => col.notNull())
    .addColumn('pending', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('task_due_date_counts_pkey', ['user_id', 'due_date'])
    .execute();
  for (const [op, source] of counting) {
    await sql
      .raw(
        `create function tasks_due_date_count_${op}() returns trigger language plpgsql as $$
begin
  insert into task_due_date_counts as c (user_id, due_date, pending)
    select user_id, due_date, sum(sign) from (${source}) d
    where not completed and due_date is not null
    group by 1, 2 having sum(sign) <> 0
    order by 1, 2
  on conflict (user_id, due_date) do update set pending = c.pending + excluded.pending;
  return null;
end $$`,
      )
      .execute(db);
  }
  await sql`create trigger tasks_due_date_count_insert after insert on tasks referencing new table as new_rows
    for each statement execute function tasks_due_date_count_insert()`.execute(db);
  await sql`create trigger tasks_due_date_count_update after update on tasks
    referencing old table as old_rows new table as new_rows for each statement execute function tasks_due_date_count_update()`.execute(db);
  await sql`create trigger tasks_due_date_count_delete after delete on tasks referencing old table as old_rows
    for each statement execute function tasks_due_date_count_delete()`.execute(db);
  await sql`create function tasks_due_date_count_truncate() returns trigger language plpgsql as $$
    begin delete from task_due_date_counts; return null; end $$`.execute(db);
  await sql`create trigger tasks_due_date_count_truncate after truncate on tasks
    for each statement execute function tasks_due_date_count_truncate()`.execute(db);

  // After the triggers exist, so both kinds of counters follow the conversion.
  await sql`update tasks
    set due_date = (due_at at time zone 'UTC')::date, due_at = null,
      updated_at = greatest(clock_timestamp(), updated_at + interval '1 millisecond')
    where due_at = ((due_at at time zone 'UTC')::date::timestamp at time zone 'UTC')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Back to instants: a date-only due becomes midnight UTC of its date, as a bare date meant before.
  await sql`update tasks set due_at = (due_date::timestamp at time zone 'UTC'), due_date = null where due_date is not null`.execute(db);
  for (const op of ['insert', 'update', 'delete', 'truncate']) {
    await sql.raw(`drop trigger tasks_due_date_count_${op} on tasks`).execute(db);
    await sql.raw(`drop function tasks_due_date_count_${op}()`).execute(db);
  }
  await db.schema.dropTable('task_due_date_counts').execute();
  for (const [name, expression] of indexes) {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on('tasks').expression(sql.raw(expression)).execute();
  }
  await sql`alter table tasks drop constraint tasks_due_date_range, drop constraint tasks_one_due, drop column due_date`.execute(db);
}
