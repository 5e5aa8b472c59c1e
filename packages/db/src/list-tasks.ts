// The list query: every filter, every sort and tie order, keyset pagination (the order and its
// indexes: list-order.ts).
import { sql, type Compilable, type RawBuilder } from 'kysely';
import type { TaskPriority } from './schema.ts';
import { dueInstant, dueLast, keyset, orderTerms, rankColumn, tsquery, type OrderShape, type SortValue, type TaskSort } from './list-order.ts';
import { preparedQuery, type Bindings } from './prepared-query.ts';
import { taskColumns, type Db, type TaskRecord } from './tasks-queries.ts';

export { TASK_SORTS, TASK_TIE_ORDERS, type OrderShape, type SortOrder, type SortValue, type TaskSort, type TieOrder } from './list-order.ts';

/** Where a page ends: the last row's sort key and id, and its creation time when ties are `newest`. */
export interface ListPosition {
  key: SortValue;
  id: number;
  createdAt?: Date | undefined;
}

export interface TaskListQuery extends OrderShape {
  completed?: boolean | undefined;
  priorities?: TaskPriority[] | undefined;
  /** Tasks having every one of these (already case-folded) tags. */
  tags?: string[] | undefined;
  /** Due strictly before this instant (a date-only due: the start of its day in `timeZone`). */
  dueBefore?: Date | undefined;
  /** Due at or after this instant (a date-only due: the start of its day in `timeZone`). */
  dueAfter?: Date | undefined;
  /** true: not completed and due before now (a date-only due: before today in `timeZone`); false: everything else. */
  overdue?: boolean | undefined;
  /** true: not completed and due during today in `timeZone` (either kind of due); false: everything else. */
  dueToday?: boolean | undefined;
  /** The IANA zone whose calendar places date-only dues (filters and the due order); UTC when absent. */
  timeZone?: string | undefined;
  /** The instant "now" is for overdue and dueToday; the database's clock when absent. */
  now?: Date | undefined;
  /** Full-text search (websearch syntax) over title and description. */
  search?: string | undefined;
  limit: number;
  /** Keyset position: rows strictly after this one in the requested order. */
  after?: ListPosition | undefined;
}

export interface ListedTask extends TaskRecord {
  /** Search relevance, present when sorting by rank (cursors carry it). */
  rank?: number;
  /** The due as an instant in the list's zone, present when sorting by due (cursors carry it). */
  dueKey?: Date | null;
}

/** What decides the list query's SQL text besides which values are given. */
interface ListShape extends OrderShape {
  overdue: boolean | undefined;
  dueToday: boolean | undefined;
}

/** The list query's values: each filter is present when its value is given (not undefined). */
type ListValues = Omit<TaskListQuery, keyof ListShape | 'after' | 'timeZone'> & {
  userId: string;
  timeZone: string;
  afterKey?: SortValue | undefined;
  afterCreatedAt?: Date | undefined;
  afterId?: number | undefined;
};

// Built and compiled once per shape and set of given filters, then reused with each call's values.
const listQuery = preparedQuery((db, shape: ListShape, v: Bindings<ListValues>): Compilable<ListedTask> => {
  const zone = v.timeZone;
  const due = dueLast(zone).asc;
  const now = v.now ? sql`${v.now}::timestamptz` : sql`now()`;
  const localDay = sql`(${now} at time zone ${zone}::text)::date`;
  const startOfToday = sql`(${localDay}::timestamp at time zone ${zone}::text)`;
  const startOfTomorrow = sql`((${localDay} + 1)::timestamp at time zone ${zone}::text)`;
  /** The user's matching tasks in the list's order, from `start` on. */
  const page = (start?: RawBuilder<boolean>) => {
    let q = db
      .selectFrom('tasks')
      .select(taskColumns)
      .where('user_id', '=', v.userId)
      .$if(shape.sort === 'rank', (qb) => qb.select(rankColumn(v.search).as('rank')))
      .$if(shape.sort === 'dueAt', (qb) => qb.select(dueInstant(zone).as('dueKey')));
    if (v.completed) q = q.where('completed', '=', v.completed);
    // Sent as text[]: PGlite serializes an array parameter only when its type is an array it knows.
    if (v.priorities) q = q.where(sql<boolean>`priority = any(${v.priorities}::text[]::task_priority[])`);
    if (v.tags) q = q.where(sql<boolean>`tags @> ${v.tags}::text[]`);
    if (v.dueBefore) q = q.where(sql<boolean>`${due} < ${v.dueBefore}`);
    if (v.dueAfter) q = q.where(sql<boolean>`${dueLast(zone).desc} >= ${v.dueAfter}`);
    // A date-only due's key is the start of its day in the zone, so "its date is before today" is
    // "its key is before today's start", and "due today" is one range of keys for both kinds.
    if (shape.overdue === true) q = q.where(sql<boolean>`not completed and ${due} < ${now} and (due_at is not null or ${due} < ${startOfToday})`);
    if (shape.overdue === false) q = q.where(sql<boolean>`(completed or ${due} >= ${now} or (due_at is null and ${due} >= ${startOfToday}))`);
    if (shape.dueToday === true) q = q.where(sql<boolean>`not completed and ${due} >= ${startOfToday} and ${due} < ${startOfTomorrow}`);
    if (shape.dueToday === false) q = q.where(sql<boolean>`(completed or ${due} < ${startOfToday} or ${due} >= ${startOfTomorrow})`);
    if (v.search) q = q.where(sql<boolean>`search @@ ${tsquery(v.search)}`);
    if (start) q = q.where(start);
    for (const [term, direction] of orderTerms(shape, 'tasks', zone)) q = q.orderBy(term, direction);
    return q.limit(v.limit);
  };
  if (v.afterKey === undefined || v.afterId === undefined) return page();
  const after = keyset(shape, { search: v.search, zone }, { key: v.afterKey, createdAt: v.afterCreatedAt, id: v.afterId });
  if ('after' in after) return page(after.after);
  // Each part is a range scan of its own; the page is the first rows of both in the list's order.
  let united = db.selectFrom(sql<ListedTask>`(${page(after.restOfRun)} union all ${page(after.laterKeys)})`.as('page')).selectAll();
  for (const [term, direction] of orderTerms(shape, 'page', zone)) united = united.orderBy(term, direction);
  return united.limit(v.limit);
});

/** A query's shape and values; empty lists filter nothing, so they are not given. */
function listArguments(userId: string, query: TaskListQuery): [ListShape, ListValues] {
  const { sort, order, ties, overdue, dueToday, after, ...filters } = query;
  const values: ListValues = {
    ...filters,
    userId,
    timeZone: filters.timeZone ?? 'UTC',
    priorities: filters.priorities?.length ? filters.priorities : undefined,
    tags: filters.tags?.length ? filters.tags : undefined,
    afterKey: after?.key,
    afterCreatedAt: after?.createdAt,
    afterId: after?.id,
  };
  return [{ sort, order, ties, overdue, dueToday }, values];
}

/**
 * The list query with its values inline (exported so tests can EXPLAIN exactly the SQL that runs).
 *
 * @example
 * buildListTasksQuery(db, 'u1', { sort: 'dueAt', order: 'asc', limit: 21, after: { key: null, id: 9 } });
 * // select … from tasks where user_id = $1
 * //   and (coalesce(due_at, timezone($2, due_date::timestamp), 'infinity'), id) > (coalesce($3::timestamptz, 'infinity'), $4)
 * //   order by coalesce(due_at, timezone($5, due_date::timestamp), 'infinity') asc, id asc limit $6
 */
export function buildListTasksQuery(db: Db, userId: string, query: TaskListQuery) {
  return listQuery.inline(db, ...listArguments(userId, query));
}

/** A page of the user's tasks in the requested order, strictly after `query.after` when given. */
export async function listTasks(db: Db, userId: string, query: TaskListQuery): Promise<ListedTask[]> {
  return (await listQuery(db, ...listArguments(userId, query))).rows;
}

function sortValueOf(task: ListedTask, sort: TaskSort): SortValue {
  switch (sort) {
    case 'createdAt':
      return task.createdAt;
    case 'updatedAt':
      return task.updatedAt;
    case 'dueAt':
      return task.dueKey ?? null;
    case 'priority':
      return task.priority;
    case 'title':
      return task.title;
    case 'rank':
      return task.rank ?? 0;
  }
}

/** What a cursor must carry to continue after `task` in the list's order. */
export function positionAfter(task: ListedTask, shape: OrderShape): ListPosition {
  const position: ListPosition = { key: sortValueOf(task, shape.sort), id: task.id };
  if (shape.ties === 'newest') position.createdAt = task.createdAt;
  return position;
}
