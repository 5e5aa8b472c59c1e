// tasks.list input → the database's list query: defaults per sort, one-or-many values as arrays,
// and the canonical form of the filters, sort and tie order whose fingerprint a cursor carries.
import type { SortOrder, TaskListQuery, TaskSort } from '@tasks/db';
import { fingerprint } from './cursor.ts';
import type { ListTasksInput } from './schemas.ts';

const completedFilter = { all: undefined, pending: false, completed: true } as const;

// Newest, latest-changed, most important and most relevant first; soonest due and A→Z first.
const defaultOrder: Record<TaskSort, SortOrder> = {
  createdAt: 'desc',
  updatedAt: 'desc',
  priority: 'desc',
  rank: 'desc',
  dueAt: 'asc',
  title: 'asc',
};

const asArray = <T>(value: T | T[] | undefined): T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];
const sortedSet = <T extends string>(values: T[] | undefined) => (values ? [...new Set(values)].sort() : undefined);

export interface ListPlan {
  query: Omit<TaskListQuery, 'limit' | 'after'>;
  /** Identifies the filters, sort and tie order; cursors made under one plan are refused under another. */
  fingerprint: string;
}

export function planList(input: ListTasksInput): ListPlan {
  const sort: TaskSort = input.sort ?? (input.q !== undefined ? 'rank' : 'createdAt');
  const query: ListPlan['query'] = {
    completed: completedFilter[input.status],
    priorities: sortedSet(asArray(input.priority)),
    tags: sortedSet(asArray(input.tag)),
    dueBefore: input.dueBefore,
    dueAfter: input.dueAfter,
    overdue: input.overdue,
    dueToday: input.dueToday,
    timeZone: input.timeZone,
    search: input.q,
    sort,
    order: input.order ?? defaultOrder[sort],
    ties: input.ties ?? 'id',
  };
  const canonical = [
    query.completed ?? null,
    query.priorities ?? null,
    query.tags ?? null,
    query.dueBefore?.getTime() ?? null,
    query.dueAfter?.getTime() ?? null,
    query.overdue ?? null,
    query.search ?? null,
    query.sort,
    query.order,
    // Only when not the default, so cursors made before tie orders existed stay valid.
    ...(query.ties === 'newest' ? ['newest'] : []),
    // Likewise: a due key in one zone is no position in another's order.
    ...(query.dueToday !== undefined || (query.timeZone ?? 'UTC') !== 'UTC' ? [query.dueToday ?? null, query.timeZone ?? 'UTC'] : []),
  ];
  return { query, fingerprint: fingerprint(canonical) };
}
