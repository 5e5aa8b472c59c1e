// The list query: every filter, every sort, keyset pagination. One btree per sort (migration 0002)
// serves both orders, so each page is an index range scan whatever the user's number of tasks.
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { TaskPriority } from './schema.ts';
import { preparedQuery, type Bindings } from './prepared-query.ts';
import { taskColumns, type Db, type TaskRecord } from './tasks-queries.ts';

export const TASK_SORTS = ['createdAt', 'updatedAt', 'dueAt', 'priority', 'title'] as const;
/** `rank` is search relevance: the order when `search` is given without an explicit sort. */
export type TaskSort = (typeof TASK_SORTS)[number] | 'rank';
export type SortOrder = 'asc' | 'desc';

/** The sort key of the last row seen: a Date for timestamps (null for no due date), text, or a rank. */
export type SortValue = Date | string | number | null;

export interface TaskListQuery {
  completed?: boolean | undefined;
  priorities?: TaskPriority[] | undefined;
  /** Tasks having every one of these (already case-folded) tags. */
  tags?: string[] | undefined;
  /** Due strictly before this instant. */
  dueBefore?: Date | undefined;
  /** Due at or after this instant. */
  dueAfter?: Date | undefined;
  /** true: due in the past and not completed; false: everything else. */
  overdue?: boolean | undefined;
  /** Full-text search (websearch syntax) over title and description. */
  search?: string | undefined;
  sort: TaskSort;
  order: SortOrder;
  limit: number;
  /** Keyset position: rows strictly after this one in the requested order. */
  after?: { key: SortValue; id: number } | undefined;
}

export interface ListedTask extends TaskRecord {
  /** Search relevance, present when sorting by rank (cursors carry it). */
  rank?: number;
}

/** What decides the list query's SQL text besides which values are given. */
interface ListShape {
  sort: TaskSort;
  order: SortOrder;
  overdue: boolean | undefined;
}

/** The list query's values: each filter is present when its value is given (not undefined). */
type ListValues = Omit<TaskListQuery, keyof ListShape | 'after'> & {
  userId: string;
  afterKey?: SortValue | undefined;
  afterId?: number | undefined;
};

type ListBindings = Bindings<ListValues>;

const tsquery = (search: ListBindings['search']) => sql`websearch_to_tsquery('english', ${search ?? ''})`;
// `'infinity'` for asc and `'-infinity'` for desc put tasks without a due date last in both orders;
// the same expressions are indexed, and dueBefore/dueAfter use them so those ranges are index conditions.
const dueLast = { asc: sql`coalesce(due_at, 'infinity'::timestamptz)`, desc: sql`coalesce(due_at, '-infinity'::timestamptz)` };

type SortKeyValue = Expression<SortValue>;

/** The indexed expression a sort orders by, and the same expression applied to a cursor's value. */
function sortKey(shape: ListShape, search: ListBindings['search']): { column: RawBuilder<unknown>; value: (v: SortKeyValue) => RawBuilder<unknown> } {
  switch (shape.sort) {
    case 'createdAt':
      return { column: sql`created_at`, value: (v) => sql`${v}::timestamptz` };
    case 'updatedAt':
      return { column: sql`updated_at`, value: (v) => sql`${v}::timestamptz` };
    case 'priority':
      return { column: sql`priority`, value: (v) => sql`${v}::task_priority` };
    case 'title':
      return { column: sql`lower(title)`, value: (v) => sql`lower(${v}::text)` };
    case 'dueAt': {
      const infinity = shape.order === 'asc' ? sql`'infinity'::timestamptz` : sql`'-infinity'::timestamptz`;
      return { column: dueLast[shape.order], value: (v) => sql`coalesce(${v}::timestamptz, ${infinity})` };
    }
    case 'rank':
      return { column: sql`ts_rank(search, ${tsquery(search)})`, value: (v) => sql`${v}::real` };
  }
}

// Built and compiled once per shape and set of given filters, then reused with each call's values.
const listQuery = preparedQuery((db, shape: ListShape, v: ListBindings) => {
  const key = sortKey(shape, v.search);
  let q = db
    .selectFrom('tasks')
    .select(taskColumns)
    .where('user_id', '=', v.userId)
    .$if(shape.sort === 'rank', (qb) => qb.select(sql<number>`${key.column}`.as('rank')));
  if (v.completed) q = q.where('completed', '=', v.completed);
  // Sent as text[]: PGlite serializes an array parameter only when its type is an array it knows.
  if (v.priorities) q = q.where(sql<boolean>`priority = any(${v.priorities}::text[]::task_priority[])`);
  if (v.tags) q = q.where(sql<boolean>`tags @> ${v.tags}::text[]`);
  if (v.dueBefore) q = q.where(sql<boolean>`${dueLast.asc} < ${v.dueBefore}`);
  if (v.dueAfter) q = q.where(sql<boolean>`${dueLast.desc} >= ${v.dueAfter}`);
  if (shape.overdue === true) q = q.where(sql<boolean>`not completed and ${dueLast.asc} < now()`);
  if (shape.overdue === false) q = q.where(sql<boolean>`(completed or ${dueLast.asc} >= now())`);
  if (v.search) q = q.where(sql<boolean>`search @@ ${tsquery(v.search)}`);
  if (v.afterKey && v.afterId) {
    const comparison = shape.order === 'asc' ? sql`>` : sql`<`;
    q = q.where(sql<boolean>`(${key.column}, id) ${comparison} (${key.value(v.afterKey)}, ${v.afterId})`);
  }
  // Ranked: order by the selected column, so ts_rank runs once per match rather than twice.
  const orderBy = shape.sort === 'rank' ? sql`rank` : key.column;
  return q.orderBy(orderBy, shape.order).orderBy('id', shape.order).limit(v.limit);
});

/** A query's shape and values; empty lists filter nothing, so they are not given. */
function listArguments(userId: string, query: TaskListQuery): [ListShape, ListValues] {
  const { sort, order, overdue, after, ...filters } = query;
  const values: ListValues = {
    ...filters,
    userId,
    priorities: filters.priorities?.length ? filters.priorities : undefined,
    tags: filters.tags?.length ? filters.tags : undefined,
    afterKey: after?.key,
    afterId: after?.id,
  };
  return [{ sort, order, overdue }, values];
}

/**
 * The list query with its values inline (exported so tests can EXPLAIN exactly the SQL that runs).
 *
 * @example
 * buildListTasksQuery(db, 'u1', { sort: 'dueAt', order: 'asc', limit: 21, after: { key: null, id: 9 } });
 * // select … from tasks where user_id = $1
 * //   and (coalesce(due_at, 'infinity'), id) > (coalesce($2::timestamptz, 'infinity'), $3)
 * //   order by coalesce(due_at, 'infinity') asc, id asc limit $4
 */
export function buildListTasksQuery(db: Db, userId: string, query: TaskListQuery) {
  return listQuery.inline(db, ...listArguments(userId, query));
}

/** A page of the user's tasks in the requested order, strictly after `query.after` when given. */
export async function listTasks(db: Db, userId: string, query: TaskListQuery): Promise<ListedTask[]> {
  return (await listQuery(db, ...listArguments(userId, query))).rows;
}

/** The value a cursor must carry to continue after `task` in `sort` order. */
export function sortValueOf(task: ListedTask, sort: TaskSort): SortValue {
  switch (sort) {
    case 'createdAt':
      return task.createdAt;
    case 'updatedAt':
      return task.updatedAt;
    case 'dueAt':
      return task.dueAt;
    case 'priority':
      return task.priority;
    case 'title':
      return task.title;
    case 'rank':
      return task.rank ?? 0;
  }
}
