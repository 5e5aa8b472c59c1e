// Every query takes the caller's user id and filters by it: ownership is enforced here, in SQL.
import { sql, type Kysely, type Transaction } from 'kysely';
import { preparedQuery, type Bindings } from './prepared-query.ts';
import type { Database, TaskPriority } from './schema.ts';

export type Db = Kysely<Database> | Transaction<Database>;

export interface TaskRecord {
  id: number;
  userId: string;
  title: string;
  description: string | null;
  completed: boolean;
  completedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  priority: TaskPriority;
  dueAt: Date | null;
  /** A calendar date (`YYYY-MM-DD`), due the whole day; never set together with `dueAt`. */
  dueDate: string | null;
  tags: string[];
  version: number;
}

// Text, not pg's Date for a `date` (midnight in the server's zone): a calendar date is not an instant.
const dueDateText = sql<string | null>`to_char(due_date, 'YYYY-MM-DD')`.as('dueDate');

export const taskColumns = [
  'id',
  'user_id as userId',
  'title',
  'description',
  'completed',
  'completed_at as completedAt',
  'created_at as createdAt',
  'updated_at as updatedAt',
  'priority',
  'due_at as dueAt',
  dueDateText,
  'tags',
  'version',
] as const;

/** taskColumns qualified by `tasks.`, for a query that joins tasks to another table (the changes feed). */
export const joinedTaskColumns = [
  'tasks.id',
  'tasks.user_id as userId',
  'tasks.title',
  'tasks.description',
  'tasks.completed',
  'tasks.completed_at as completedAt',
  'tasks.created_at as createdAt',
  'tasks.updated_at as updatedAt',
  'tasks.priority',
  'tasks.due_at as dueAt',
  sql<string | null>`to_char(tasks.due_date, 'YYYY-MM-DD')`.as('dueDate'),
  'tasks.tags',
  'tasks.version',
] as const;

// `updated_at` must strictly increase even for two writes in one millisecond (clients use it for
// ordering and conflict checks), so it never goes below the previous value plus 1 ms.
const nextUpdatedAt = sql<Date>`greatest(clock_timestamp(), updated_at + interval '1 millisecond')`;

// The queries below are built once per shape and set of given values (preparedQuery).
const getQuery = preparedQuery((db, _shape: {}, v: Bindings<{ userId: string; id: number }>) =>
  db.selectFrom('tasks').select(taskColumns).where('user_id', '=', v.userId).where('id', '=', v.id),
);

export async function getTask(db: Db, userId: string, id: number): Promise<TaskRecord | undefined> {
  return (await getQuery(db, {}, { userId, id })).rows[0];
}

export interface NewTask {
  title: string;
  description?: string | null | undefined;
  priority?: TaskPriority | undefined;
  dueAt?: Date | null | undefined;
  /** `YYYY-MM-DD`; at most one of dueAt and dueDate (the table's check refuses both). */
  dueDate?: string | null | undefined;
  /** Already normalised (trimmed, case-folded, distinct) by the caller's schema. */
  tags?: string[] | undefined;
}

/**
 * Creates a task, and the user's row the first time that user writes, in one statement.
 *
 * @example
 * await createTask(db, 'u1', { title: 'Buy milk' });
 * // with "u" as (insert into users (id) values ($1) on conflict do nothing)
 * // insert into tasks (user_id, title, description, priority, due_at, tags) values ($2, …) returning …
 */
const createQuery = preparedQuery((db, _shape: {}, v: Bindings<{ userId: string } & NewTask>) =>
  db
    .with('u', (qb) => qb.insertInto('users').values({ id: v.userId }).onConflict((oc) => oc.doNothing()))
    .insertInto('tasks')
    .values({
      user_id: v.userId,
      title: v.title,
      description: v.description ?? null,
      due_at: v.dueAt ?? null,
      due_date: v.dueDate ?? null,
      // Left out, the column's default applies.
      ...(v.priority ? { priority: v.priority } : {}),
      ...(v.tags ? { tags: sql<string[]>`${v.tags}::text[]` } : {}),
    })
    .returning(taskColumns),
);

export async function createTask(db: Db, userId: string, task: NewTask): Promise<TaskRecord> {
  const { rows } = await createQuery(db, {}, { userId, ...task });
  if (!rows[0]) throw new Error('insert into tasks returned no row');
  return rows[0];
}

export interface TaskChanges {
  title?: string | undefined;
  description?: string | null | undefined;
  completed?: boolean | undefined;
  priority?: TaskPriority | undefined;
  /** Either due replaces the task's due: the other kind is cleared, and `null` clears both. */
  dueAt?: Date | null | undefined;
  dueDate?: string | null | undefined;
  tags?: string[] | undefined;
}

interface UpdateShape {
  completion: 'complete' | 'reopen' | undefined;
}
type UpdateValues = { userId: string; id: number; versions?: number[] | undefined } & Omit<TaskChanges, 'completed'>;

/**
 * Applies the given changes to the user's task; `undefined` when the user has no such task, or when
 * `versions` is given and the task's version is none of them (the check and the write are one
 * statement, so of concurrent writers expecting one version exactly one succeeds).
 * Completing keeps an existing `completed_at`; reopening clears it.
 *
 * @example
 * await updateTask(db, 'u1', 7, { completed: true });
 * // update "tasks" set "completed" = true, "completed_at" = coalesce("completed_at", clock_timestamp()),
 * //   "updated_at" = greatest(clock_timestamp(), updated_at + interval '1 millisecond'), "version" = "version" + 1
 * // where "user_id" = $1 and "id" = $2 returning …
 * await updateTask(db, 'u1', 7, { title: 'x' }, [3]); // … where "user_id" = $2 and "id" = $3 and "version" = any($4::int[])
 */
const updateQuery = preparedQuery((db, shape: UpdateShape, v: Bindings<UpdateValues>) =>
  db
    .updateTable('tasks')
    .set((eb) => ({
      ...(v.title ? { title: v.title } : {}),
      ...(v.description ? { description: v.description } : {}),
      ...(v.priority ? { priority: v.priority } : {}),
      ...(v.dueAt || v.dueDate ? { due_at: v.dueAt ?? null, due_date: v.dueDate ?? null } : {}),
      ...(v.tags ? { tags: sql<string[]>`${v.tags}::text[]` } : {}),
      ...(shape.completion === 'complete'
        ? { completed: true, completed_at: eb.fn.coalesce('completed_at', sql<Date>`clock_timestamp()`) }
        : {}),
      ...(shape.completion === 'reopen' ? { completed: false, completed_at: null } : {}),
      updated_at: nextUpdatedAt,
      version: sql<number>`version + 1`,
    }))
    .where('user_id', '=', v.userId)
    .where('id', '=', v.id)
    .$if(v.versions !== undefined, (qb) => qb.where(sql<boolean>`version = any(${v.versions}::int[])`))
    .returning(taskColumns),
);

export async function updateTask(
  db: Db,
  userId: string,
  id: number,
  { completed, ...changes }: TaskChanges,
  versions?: number[],
): Promise<TaskRecord | undefined> {
  const completion = completed === undefined ? undefined : completed ? 'complete' : 'reopen';
  return (await updateQuery(db, { completion }, { userId, id, versions, ...changes })).rows[0];
}

/**
 * Deletes the user's task; false when the user has no such task, or when `versions` is given and the
 * task's version is none of them (checked in the same statement, as for updateTask).
 */
export async function deleteTask(db: Db, userId: string, id: number, versions?: number[]): Promise<boolean> {
  const result = await db
    .deleteFrom('tasks')
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .$if(versions !== undefined, (qb) => qb.where(sql<boolean>`version = any(${versions}::int[])`))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
