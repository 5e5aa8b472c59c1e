// The list query: every filter, every sort, keyset pagination. One btree per sort (migration 0002)
// serves both orders, so each page is an index range scan whatever the user's number of tasks.
import { sql, type RawBuilder } from 'kysely';
import type { TaskPriority } from './schema.ts';
import { preparedQuery } from './prepared-query.ts';
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

const tsquery = (search: string) => sql`websearch_to_tsquery('english', ${search})`;
// `'infinity'` for asc and `'-infinity'` for desc put tasks without a due date last in both orders;
// the same expressions are indexed, and dueBefore/dueAfter use them so those ranges are index conditions.
const dueLast = { asc: sql`coalesce(due_at, 'infinity'::timestamptz)`, desc: sql`coalesce(due_at, '-infinity'::timestamptz)` };

/** The indexed expression a sort orders by, and the same expression applied to a cursor's value. */
function sortKey(query: TaskListQuery): { column: RawBuilder<unknown>; value: (v: SortValue) => RawBuilder<unknown> } {
  switch (query.sort) {
    case 'createdAt':
      return { column: sql`created_at`, value: (v) => sql`${v}::timestamptz` };
    case 'updatedAt':
      return { column: sql`updated_at`, value: (v) => sql`${v}::timestamptz` };
    case 'priority':
      return { column: sql`priority`, value: (v) => sql`${v}::task_priority` };
    case 'title':
      return { column: sql`lower(title)`, value: (v) => sql`lower(${v}::text)` };
    case 'dueAt': {
      const infinity = query.order === 'asc' ? sql`'infinity'::timestamptz` : sql`'-infinity'::timestamptz`;
      return { column: dueLast[query.order], value: (v) => sql`coalesce(${v}::timestamptz, ${infinity})` };
    }
    case 'rank':
      return { column: sql`ts_rank(search, ${tsquery(query.search ?? '')})`, value: (v) => sql`${v}::real` };
  }
}

/**
 * Builds the list query (exported so tests can EXPLAIN exactly what runs).
 *
 * @example
 * buildListTasksQuery(db, 'u1', { sort: 'dueAt', order: 'asc', limit: 21, after: { key: null, id: 9 } });
 * // select … from tasks where user_id = $1
 * //   and (coalesce(due_at, 'infinity'), id) > (coalesce($2::timestamptz, 'infinity'), $3)
 * //   order by coalesce(due_at, 'infinity') asc, id asc limit $4
 */
export function buildListTasksQuery(db: Db, userId: string, query: TaskListQuery) {
  const key = sortKey(query);
  let q = db.selectFrom('tasks').select(taskColumns).where('user_id', '=', userId);
  if (query.sort === 'rank') q = q.select(key.column.as('rank') as never);
  if (query.completed !== undefined) q = q.where('completed', '=', query.completed);
  if (query.priorities?.length) q = q.where('priority', 'in', query.priorities);
  // Not `query.tags?.length`: the prepared list (below) builds this with a stand-in for the array.
  if (query.tags !== undefined && (query.tags as unknown[]).length !== 0) q = q.where(sql<boolean>`tags @> ${query.tags}::text[]`);
  if (query.dueBefore) q = q.where(sql<boolean>`${dueLast.asc} < ${query.dueBefore}`);
  if (query.dueAfter) q = q.where(sql<boolean>`${dueLast.desc} >= ${query.dueAfter}`);
  if (query.overdue === true) q = q.where(sql<boolean>`not completed and ${dueLast.asc} < now()`);
  if (query.overdue === false) q = q.where(sql<boolean>`(completed or ${dueLast.asc} >= now())`);
  if (query.search !== undefined) q = q.where(sql<boolean>`search @@ ${tsquery(query.search)}`);
  if (query.after) {
    const comparison = query.order === 'asc' ? sql`>` : sql`<`;
    q = q.where(sql<boolean>`(${key.column}, id) ${comparison} (${key.value(query.after.key)}, ${query.after.id})`);
  }
  // Ranked: order by the selected column, so ts_rank runs once per match rather than twice.
  const orderBy = query.sort === 'rank' ? sql`rank` : key.column;
  return q.orderBy(orderBy, query.order).orderBy('id', query.order).limit(query.limit);
}

/** What decides the list query's SQL text: which filters are present, the sort, the order, a cursor. */
interface ListShape {
  completed: boolean;
  priorities: number;
  tags: boolean;
  dueBefore: boolean;
  dueAfter: boolean;
  overdue: boolean | null;
  search: boolean;
  sort: TaskSort;
  order: SortOrder;
  after: boolean;
}

// The list query is built and compiled once per shape and reused with each call's values; at most
// three priorities exist, so each has a value slot of its own.
const preparedList = preparedQuery(
  (
    db,
    shapeText,
    userId: string,
    limit: number,
    completed: boolean,
    priority0: TaskPriority,
    priority1: TaskPriority,
    priority2: TaskPriority,
    tags: string[],
    dueBefore: Date,
    dueAfter: Date,
    search: string,
    afterKey: SortValue,
    afterId: number,
  ) => {
    const shape = JSON.parse(shapeText) as ListShape;
    return buildListTasksQuery(db, userId, {
      completed: shape.completed ? completed : undefined,
      priorities: shape.priorities ? [priority0, priority1, priority2].slice(0, shape.priorities) : undefined,
      tags: shape.tags ? tags : undefined,
      dueBefore: shape.dueBefore ? dueBefore : undefined,
      dueAfter: shape.dueAfter ? dueAfter : undefined,
      overdue: shape.overdue ?? undefined,
      search: shape.search ? search : undefined,
      sort: shape.sort,
      order: shape.order,
      limit,
      after: shape.after ? { key: afterKey, id: afterId } : undefined,
    });
  },
);

/** A page of the user's tasks in the requested order, strictly after `query.after` when given. */
export async function listTasks(db: Db, userId: string, query: TaskListQuery): Promise<ListedTask[]> {
  const priorities = query.priorities?.length ? query.priorities : undefined;
  const tags = query.tags?.length ? query.tags : undefined;
  const shape: ListShape = {
    completed: query.completed !== undefined,
    priorities: priorities?.length ?? 0,
    tags: tags !== undefined,
    dueBefore: query.dueBefore !== undefined,
    dueAfter: query.dueAfter !== undefined,
    overdue: query.overdue ?? null,
    search: query.search !== undefined,
    sort: query.sort,
    order: query.order,
    after: query.after !== undefined,
  };
  if (shape.priorities > 3) return (await buildListTasksQuery(db, userId, query).execute()) as ListedTask[];
  const { rows } = await preparedList(
    db,
    JSON.stringify(shape),
    userId,
    query.limit,
    query.completed ?? false,
    priorities?.[0] ?? 'low',
    priorities?.[1] ?? 'low',
    priorities?.[2] ?? 'low',
    tags ?? [],
    query.dueBefore ?? new Date(0),
    query.dueAfter ?? new Date(0),
    query.search ?? '',
    query.after?.key ?? null,
    query.after?.id ?? 0,
  );
  return rows as ListedTask[];
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
