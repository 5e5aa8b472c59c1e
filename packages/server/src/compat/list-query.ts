// `GET /api/{user_id}/tasks?status=…&sort=…`: the original's query words mapped onto `tasks.list`.
import type { ListTasksInput, Task } from '@tasks/api';
import type { z } from 'zod';
import { badRequest } from './detail-errors.ts';
import { parseStatusWord } from './task-bodies.ts';

type ListInput = Exclude<z.input<typeof ListTasksInput>, undefined>;

/** The last value of a query parameter (FastAPI reads the last of repeated scalars). */
function lastValue(value: unknown): string | undefined {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : undefined;
}

function statusFilter(raw: string | undefined): ListInput['status'] {
  const word = raw?.trim().toLowerCase() ?? '';
  if (word === '' || word === 'all') return 'all';
  const completed = parseStatusWord(word);
  if (completed === undefined) throw badRequest("Invalid status value. Must be 'incomplete' or 'complete'");
  return completed ? 'completed' : 'pending';
}

/** What `tasks.list` orders by first, for each `?sort=` word (matched exactly; empty is omitted). */
const SORTS: Record<string, Pick<ListInput, 'sort' | 'order'>> = {
  '': { sort: 'createdAt', order: 'desc' },
  priority: { sort: 'priority', order: 'desc' },
  due_date: { sort: 'dueAt', order: 'asc' },
  '-due_date': { sort: 'dueAt', order: 'desc' },
};

/**
 * The value a sort orders by first. `tasks.list` breaks ties by id in the sort's direction; the
 * contract breaks them by `created_at` desc, then `id` desc, so runs of equal values are reordered.
 */
const PRIMARY_KEY: Partial<Record<NonNullable<ListInput['sort']>, (task: Task) => unknown>> = {
  priority: (task) => task.priority,
  dueAt: (task) => task.dueAt?.getTime() ?? null,
};

function sortOrder(raw: string | undefined): Pick<ListInput, 'sort' | 'order'> {
  const word = raw ?? '';
  if (!Object.hasOwn(SORTS, word)) {
    throw badRequest("Invalid sort value. Must be 'priority', 'due_date', '-due_date', or omitted");
  }
  return SORTS[word]!;
}

/** What the contract's tie order needs of a listed task. */
export interface TieKeys {
  /** The sort's primary value (ties are runs of equal values); undefined when the sort has no ties to reorder. */
  key: unknown;
  createdAt: number;
  id: number;
}

export interface ListPlan {
  /** The `tasks.list` input, without paging (the route pages through everything). */
  input: Omit<ListInput, 'limit' | 'cursor'>;
  tieKeys(task: Task): TieKeys;
  /** Puts each run of entries sharing a primary value in the contract's tie order, in place. */
  orderTies<T extends TieKeys>(listed: T[]): T[];
  /** Where the last run of `listed` starts: what a later page could still add to (`length` when no sort has ties). */
  lastRunStart(listed: TieKeys[]): number;
}

const newestFirst = (a: TieKeys, b: TieKeys) => b.createdAt - a.createdAt || b.id - a.id;

/** Sorts each run of consecutive entries sharing a primary value: O(n) when there are no ties. */
function orderRuns<T extends TieKeys>(listed: T[]): T[] {
  let start = 0;
  for (let end = 1; end <= listed.length; end++) {
    if (end < listed.length && listed[end]!.key === listed[start]!.key) continue;
    if (end - start > 1) {
      const run = listed.slice(start, end).sort(newestFirst);
      for (let i = 0; i < run.length; i++) listed[start + i] = run[i]!;
    }
    start = end;
  }
  return listed;
}

export function listPlan(query: unknown): ListPlan {
  const params = (query ?? {}) as Record<string, unknown>;
  const status = statusFilter(lastValue(params['status']));
  const order = sortOrder(lastValue(params['sort']));
  const key = order.sort ? PRIMARY_KEY[order.sort] : undefined;
  return {
    input: { status, ...order },
    tieKeys: (task) => ({ key: key?.(task), createdAt: task.createdAt.getTime(), id: task.id }),
    // Sorted by created_at desc, id desc already: the procedure's ties are the contract's.
    orderTies: key ? orderRuns : (listed) => listed,
    lastRunStart: (listed) => {
      if (!key || listed.length === 0) return listed.length;
      const lastKey = listed[listed.length - 1]!.key;
      // Equal values are adjacent: when the first entry has the last one's value, all of them do
      // (a run can span the whole list: every task of one priority).
      if (listed[0]!.key === lastKey) return 0;
      let start = listed.length - 1;
      while (listed[start - 1]!.key === lastKey) start--;
      return start;
    },
  };
}
