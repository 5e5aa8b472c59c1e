import { sql, type Kysely } from 'kysely';

// Priority is an enum so that `order by priority` is low < medium < high without a lookup.
// `search` is generated, so every writer (the API, the seed script, psql) keeps it right.
// Per-user counters (kept by statement-level triggers) let stats answer in time that does not grow
// with the number of tasks: total/completed per user, and pending tasks per UTC due day.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create type task_priority as enum ('low', 'medium', 'high')`.execute(db);
  await sql`
    alter table tasks
      add column priority task_priority not null default 'medium',
      add column due_at timestamptz(3),
      add column tags text[] not null default '{}',
      add column search tsvector generated always as (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')
      ) stored,
      add constraint tasks_tags_count check (cardinality(tags) <= 20)`.execute(db);

  // One btree per sort, (user_id, key, id), scanned forwards or backwards for asc/desc. A due date's
  // "none" sorts last in both orders, so each order has its own expression with null mapped past the end.
  const indexes: Array<[string, string]> = [
    ['tasks_user_updated_idx', 'user_id, updated_at, id'],
    ['tasks_user_priority_idx', 'user_id, priority, id'],
    ['tasks_user_title_idx', 'user_id, lower(title), id'],
    ['tasks_user_due_asc_idx', `user_id, coalesce(due_at, 'infinity'::timestamptz), id`],
    ['tasks_user_due_desc_idx', `user_id, coalesce(due_at, '-infinity'::timestamptz), id`],
  ];
  for (const [name, expression] of indexes) {
    await db.schema.createIndex(name).on('tasks').expression(sql.raw(expression)).execute();
  }
  await db.schema.createIndex('tasks_tags_idx').on('tasks').using('gin').column('tags').execute();
  await db.schema.createIndex('tasks_search_idx').on('tasks').using('gin').column('search').execute();

  await db.schema
    .createTable('task_counts')
    .addColumn('user_id', 'text', (col) => col.primaryKey())
    .addColumn('total', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('completed', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('task_due_counts')
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('due_day', 'date', (col) => col.notNull())
    .addColumn('pending', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('task_due_counts_pkey', ['user_id', 'due_day'])
    .execute();

  for (const [op, source] of [
    ['insert', 'select user_id, completed, due_at, 1 as sign from new_rows'],
    ['update', 'select user_id, completed, due_at, 1 as sign from new_rows union all select user_id, completed, due_at, -1 from old_rows'],
    ['delete', 'select user_id, completed, due_at, -1 as sign from old_rows'],
  ] as const) {
    await sql.raw(countingFunction(op, source)).execute(db);
  }
  await sql`create trigger tasks_count_insert after insert on tasks referencing new table as new_rows
    for each statement execute function tasks_count_insert()`.execute(db);
  // Transition tables rule out `update of <columns>`: a title edit runs it, its deltas cancel, nothing is written.
  await sql`create trigger tasks_count_update after update on tasks
    referencing old table as old_rows new table as new_rows for each statement execute function tasks_count_update()`.execute(db);
  await sql`create trigger tasks_count_delete after delete on tasks referencing old table as old_rows
    for each statement execute function tasks_count_delete()`.execute(db);
  await sql`create function tasks_count_truncate() returns trigger language plpgsql as $$
    begin delete from task_counts; delete from task_due_counts; return null; end $$`.execute(db);
  await sql`create trigger tasks_count_truncate after truncate on tasks for each statement execute function tasks_count_truncate()`.execute(
    db,
  );

  // Rows that existed before this migration.
  await sql`insert into task_counts (user_id, total, completed)
    select user_id, count(*), count(*) filter (where completed) from tasks group by user_id`.execute(db);
  await sql`insert into task_due_counts (user_id, due_day, pending)
    select user_id, (due_at at time zone 'UTC')::date, count(*) from tasks
    where not completed and due_at is not null group by 1, 2`.execute(db);
}

/** A trigger function applying +1/−1 deltas from the statement's transition table(s) to the counters. */
function countingFunction(op: string, source: string): string {
  return `create function tasks_count_${op}() returns trigger language plpgsql as $$
begin
  insert into task_counts as c (user_id, total, completed)
    select user_id, sum(sign), coalesce(sum(sign) filter (where completed), 0) from (${source}) d
    group by user_id having sum(sign) <> 0 or coalesce(sum(sign) filter (where completed), 0) <> 0
    order by user_id
  on conflict (user_id) do update
    set total = c.total + excluded.total, completed = c.completed + excluded.completed;
  insert into task_due_counts as c (user_id, due_day, pending)
    select user_id, (due_at at time zone 'UTC')::date, sum(sign) from (${source}) d
    where not completed and due_at is not null
    group by 1, 2 having sum(sign) <> 0
    order by 1, 2
  on conflict (user_id, due_day) do update set pending = c.pending + excluded.pending;
  return null;
end $$`;
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger tasks_count_truncate on tasks`.execute(db);
  for (const op of ['insert', 'update', 'delete', 'truncate']) {
    if (op !== 'truncate') await sql.raw(`drop trigger tasks_count_${op} on tasks`).execute(db);
    await sql.raw(`drop function tasks_count_${op}()`).execute(db);
  }
  await db.schema.dropTable('task_due_counts').execute();
  await db.schema.dropTable('task_counts').execute();
  await sql`alter table tasks drop constraint tasks_tags_count, drop column search, drop column tags,
    drop column due_at, drop column priority`.execute(db);
  await sql`drop type task_priority`.execute(db);
}
