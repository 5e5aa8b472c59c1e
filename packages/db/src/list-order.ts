// How the list orders rows, and where a keyset cursor resumes in that order. Each order the API
// serves by default, and each order of the original routes' `?sort=`, has a btree that yields it
// directly (migrations 0001, 0002, 0005), so every page is a range scan of that index.
import { sql, type Expression, type RawBuilder } from 'kysely';

export const TASK_SORTS = ['createdAt', 'updatedAt', 'dueAt', 'priority', 'title'] as const;
/** `rank` is search relevance: the order when `search` is given without an explicit sort. */
export type TaskSort = (typeof TASK_SORTS)[number] | 'rank';
export type SortOrder = 'asc' | 'desc';

/**
 * How rows with equal sort values are ordered: `id` in the sort's direction, or `newest`: the most
 * recently created first (created_at desc, then id desc), the original routes' tie order.
 */
export const TASK_TIE_ORDERS = ['id', 'newest'] as const;
export type TieOrder = (typeof TASK_TIE_ORDERS)[number];

/** The sort key of the last row seen: a Date for timestamps (null for no due date), text, or a rank. */
export type SortValue = Date | string | number | null;

export interface OrderShape {
  sort: TaskSort;
  order: SortOrder;
  ties?: TieOrder | undefined;
}

/** The cursor's values, as the query places them. */
export interface CursorBindings {
  key: Expression<SortValue>;
  createdAt: Expression<Date> | undefined;
  id: Expression<number>;
}

/** Where the rows are read: the tasks table, or the page a two-part keyset unites (its columns are the aliases). */
export type Scope = 'tasks' | 'page';

const columns = {
  tasks: { createdAt: sql`created_at`, updatedAt: sql`updated_at`, priority: sql`priority`, title: sql`title`, id: sql.ref('id') },
  page: {
    createdAt: sql.ref('createdAt'),
    updatedAt: sql.ref('updatedAt'),
    priority: sql.ref('priority'),
    title: sql.ref('title'),
    id: sql.ref('id'),
  },
};

// `'infinity'` for asc and `'-infinity'` for desc put tasks without a due date last in both orders.
const noDueDate = { asc: sql`'infinity'::timestamptz`, desc: sql`'-infinity'::timestamptz` };

/**
 * Where a task's due falls on the time line: its instant, or the start of its date in `zone` (an
 * IANA name, so a date-only due sorts before every instant of its day there). The same expression
 * as the indexes of migration 0006, which are built for 'UTC'.
 */
export const dueInstant = (zone: Expression<string>) => sql<Date | null>`coalesce(due_at, timezone(${zone}::text, due_date::timestamp))`;

/** The indexed due-date keys; filters on due dates use them too, so their ranges are index conditions. */
export const dueLast = (zone: Expression<string>) => ({
  asc: sql`coalesce(due_at, timezone(${zone}::text, due_date::timestamp), ${noDueDate.asc})`,
  desc: sql`coalesce(due_at, timezone(${zone}::text, due_date::timestamp), ${noDueDate.desc})`,
});

/** What the sort keys read besides the row: the search text (relevance) and the time zone (date-only dues). */
export interface KeyInputs {
  search?: Expression<string> | undefined;
  zone: Expression<string>;
}

export const tsquery = (search: Expression<string> | undefined) => sql`websearch_to_tsquery('english', ${search ?? ''})`;

/** The relevance a ranked list selects as `rank`. */
export const rankColumn = (search: Expression<string> | undefined) => sql<number>`ts_rank(search, ${tsquery(search)})`;

/** The expression a sort compares rows by (in WHERE), and the same expression applied to a cursor's value. */
function sortKey(shape: OrderShape, scope: Scope, inputs: KeyInputs) {
  const c = columns[scope];
  switch (shape.sort) {
    case 'createdAt':
      return { column: c.createdAt, value: (v: Expression<SortValue>) => sql`${v}::timestamptz` };
    case 'updatedAt':
      return { column: c.updatedAt, value: (v: Expression<SortValue>) => sql`${v}::timestamptz` };
    case 'priority':
      return { column: c.priority, value: (v: Expression<SortValue>) => sql`${v}::task_priority` };
    case 'title':
      return { column: sql`lower(${c.title})`, value: (v: Expression<SortValue>) => sql`lower(${v}::text)` };
    case 'dueAt': {
      const none = noDueDate[shape.order];
      // A united page carries the key it was ordered by as `dueKey`.
      const column = scope === 'tasks' ? dueLast(inputs.zone)[shape.order] : sql`coalesce(${sql.ref('dueKey')}, ${none})`;
      return { column, value: (v: Expression<SortValue>) => sql`coalesce(${v}::timestamptz, ${none})` };
    }
    case 'rank': {
      const column = scope === 'tasks' ? rankColumn(inputs.search) : sql.ref('rank');
      return { column, value: (v: Expression<SortValue>) => sql`${v}::real` };
    }
  }
}

/** What breaks ties after the sort key, and in which direction. */
function tieBreakers(shape: OrderShape): { columns: Array<'createdAt' | 'id'>; order: SortOrder } {
  if (shape.ties !== 'newest') return { columns: ['id'], order: shape.order };
  // Sorted by creation already: equal creation times fall to the id.
  return { columns: shape.sort === 'createdAt' ? ['id'] : ['createdAt', 'id'], order: 'desc' };
}

/** ORDER BY terms: the sort key (a ranked list orders by its selected `rank`, computed once per row), then the tie-breakers. */
export function orderTerms(shape: OrderShape, scope: Scope, zone: Expression<string>): Array<[RawBuilder<unknown>, SortOrder]> {
  const key = shape.sort === 'rank' ? sql.ref('rank') : sortKey(shape, scope, { zone }).column;
  const ties = tieBreakers(shape);
  return [[key, shape.order], ...ties.columns.map((name): [RawBuilder<unknown>, SortOrder] => [columns[scope][name], ties.order])];
}

const comparison = (order: SortOrder) => (order === 'asc' ? sql`>` : sql`<`);

/**
 * The rows after the cursor. When the key and its tie-breakers run in one direction that is one row
 * comparison, a range of one index. When they run in opposite directions (due date ascending, ties
 * newest first) no row comparison describes it: the rest of the cursor's run of equal keys and the
 * rows with later keys are two ranges, to be read as two parts.
 *
 * @example
 * keyset({ sort: 'priority', order: 'desc', ties: 'newest' }, { zone }, cursor);
 * // { after: (priority, created_at, id) < ($1::task_priority, $2::timestamptz, $3) }
 * keyset({ sort: 'dueAt', order: 'asc', ties: 'newest' }, { zone }, cursor);
 * // { restOfRun: coalesce(due_at, timezone($1, due_date::timestamp), 'infinity') = coalesce($2, 'infinity') and (created_at, id) < ($3, $4),
 * //   laterKeys: coalesce(due_at, timezone($5, due_date::timestamp), 'infinity') > coalesce($6, 'infinity') }
 */
export function keyset(
  shape: OrderShape,
  inputs: KeyInputs,
  cursor: CursorBindings,
): { after: RawBuilder<boolean> } | { restOfRun: RawBuilder<boolean>; laterKeys: RawBuilder<boolean> } {
  const key = sortKey(shape, 'tasks', inputs);
  const ties = tieBreakers(shape);
  const tieColumns = ties.columns.map((name) => columns.tasks[name]);
  const tieValues = ties.columns.map((name) => {
    if (name === 'id') return sql`${cursor.id}`;
    if (!cursor.createdAt) throw new Error('a cursor for ties "newest" carries createdAt');
    return sql`${cursor.createdAt}::timestamptz`;
  });
  const keyValue = key.value(cursor.key);
  if (ties.order === shape.order) {
    const after = sql<boolean>`(${sql.join([key.column, ...tieColumns])}) ${comparison(shape.order)} (${sql.join([keyValue, ...tieValues])})`;
    return { after };
  }
  return {
    restOfRun: sql<boolean>`${key.column} = ${keyValue} and (${sql.join(tieColumns)}) ${comparison(ties.order)} (${sql.join(tieValues)})`,
    laterKeys: sql<boolean>`${key.column} ${comparison(shape.order)} ${keyValue}`,
  };
}
