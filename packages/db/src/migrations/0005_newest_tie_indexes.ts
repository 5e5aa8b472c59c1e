import { sql, type Kysely } from 'kysely';

// The original routes' `?sort=` breaks ties newest first (created_at desc, then id desc), which the
// per-sort indexes of 0002 (ties by id) cannot yield. One btree per such order, in that order, so
// each page of a list with ties: 'newest' is a range scan even inside a run of equal keys longer
// than a page (a user's 100,000 tasks of one priority, or with no due date). Newest first without a
// sort needs none: 0001's (user_id, created_at desc, id desc) is that order.
const indexes: Array<[string, string]> = [
  ['tasks_user_priority_newest_idx', 'user_id, priority desc, created_at desc, id desc'],
  ['tasks_user_due_asc_newest_idx', `user_id, coalesce(due_at, 'infinity'::timestamptz), created_at desc, id desc`],
  ['tasks_user_due_desc_newest_idx', `user_id, coalesce(due_at, '-infinity'::timestamptz) desc, created_at desc, id desc`],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, expression] of indexes) {
    await db.schema.createIndex(name).on('tasks').expression(sql.raw(expression)).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of indexes) await db.schema.dropIndex(name).execute();
}
