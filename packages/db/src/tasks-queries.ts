// Every query takes the caller's user id and filters by it: ownership is enforced here, in SQL.
import { sql, type Kysely, type Transaction } from 'kysely';
import { preparedQuery } from './prepared-query.ts';
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
  tags: string[];
}

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
  'tags',
] as const;

// `updated_at` must strictly increase even for two writes in one millisecond (clients use it for
// ordering and conflict checks), so it never goes below the previous value plus 1 ms.
const nextUpdatedAt = sql<Date>`greatest(clock_timestamp(), updated_at + interval '1 millisecond')`;

// The queries below are built once per shape (preparedQuery): the builders branch on the shape only.
const getQuery = preparedQuery((db, _shape, userId: string, id: number) =>
  db.selectFrom('tasks').select(taskColumns).where('user_id', '=', userId).where('id', '=', id),
);

export async function getTask(db: Db, userId: string, id: number): Promise<TaskRecord | undefined> {
  return (await getQuery(db, '', userId, id)).rows[0];
}

export interface NewTask {
  title: string;
  description?: string | null | undefined;
  priority?: TaskPriority | undefined;
  dueAt?: Date | null | undefined;
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
const createQuery = preparedQuery(
  (db, shape, userId: string, title: string, description: string | null, dueAt: Date | null, priority: TaskPriority, tags: string[]) =>
    db
      .with('u', (qb) => qb.insertInto('users').values({ id: userId }).onConflict((oc) => oc.doNothing()))
      .insertInto('tasks')
      .values({
        user_id: userId,
        title,
        description,
        due_at: dueAt,
        ...(shape.includes('priority') ? { priority } : {}),
        ...(shape.includes('tags') ? { tags: sql<string[]>`${tags}::text[]` } : {}),
      })
      .returning(taskColumns),
);

export async function createTask(db: Db, userId: string, task: NewTask): Promise<TaskRecord> {
  const shape = `${task.priority !== undefined ? 'priority' : ''} ${task.tags !== undefined ? 'tags' : ''}`;
  const { rows } = await createQuery(db, shape, userId, task.title, task.description ?? null, task.dueAt ?? null, task.priority ?? 'medium', task.tags ?? []);
  if (!rows[0]) throw new Error('insert into tasks returned no row');
  return rows[0];
}

export interface TaskChanges {
  title?: string | undefined;
  description?: string | null | undefined;
  completed?: boolean | undefined;
  priority?: TaskPriority | undefined;
  dueAt?: Date | null | undefined;
  tags?: string[] | undefined;
}

/**
 * Applies the given changes to the user's task; `undefined` when the user has no such task.
 * Completing keeps an existing `completed_at`; reopening clears it.
 *
 * @example
 * await updateTask(db, 'u1', 7, { completed: true });
 * // update tasks set completed = $1, completed_at = case when $2 then coalesce(completed_at, clock_timestamp()) end,
 * //   updated_at = greatest(clock_timestamp(), updated_at + interval '1 millisecond')
 * // where user_id = $3 and id = $4 returning …
 */
const updateQuery = preparedQuery(
  (
    db,
    shape,
    userId: string,
    id: number,
    title: string,
    description: string | null,
    priority: TaskPriority,
    dueAt: Date | null,
    tags: string[],
  ) =>
    db
      .updateTable('tasks')
      .set((eb) => ({
        ...(shape.includes('title') ? { title } : {}),
        ...(shape.includes('description') ? { description } : {}),
        ...(shape.includes('priority') ? { priority } : {}),
        ...(shape.includes('dueAt') ? { due_at: dueAt } : {}),
        ...(shape.includes('tags') ? { tags: sql<string[]>`${tags}::text[]` } : {}),
        ...(shape.includes('complete')
          ? { completed: true, completed_at: eb.fn.coalesce('completed_at', sql<Date>`clock_timestamp()`) }
          : {}),
        ...(shape.includes('reopen') ? { completed: false, completed_at: null } : {}),
        updated_at: nextUpdatedAt,
      }))
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .returning(taskColumns),
);

export async function updateTask(db: Db, userId: string, id: number, changes: TaskChanges): Promise<TaskRecord | undefined> {
  const given = (name: keyof TaskChanges) => (changes[name] !== undefined ? name : '');
  const shape = [
    given('title'),
    given('description'),
    given('priority'),
    given('dueAt'),
    given('tags'),
    changes.completed === undefined ? '' : changes.completed ? 'complete' : 'reopen',
  ].join(' ');
  const { rows } = await updateQuery(
    db,
    shape,
    userId,
    id,
    changes.title ?? '',
    changes.description ?? null,
    changes.priority ?? 'medium',
    changes.dueAt ?? null,
    changes.tags ?? [],
  );
  return rows[0];
}

/** Deletes the user's task; false when the user has no such task. */
export async function deleteTask(db: Db, userId: string, id: number): Promise<boolean> {
  const result = await db.deleteFrom('tasks').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
