// `GET /api/{user_id}/tasks?status=…&sort=…`: the original's query words mapped onto `tasks.list`.
import type { ListTasksInput, Task } from '@tasks/api';
import type { z } from 'zod';
import { detailError } from './detail-errors.ts';
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
  if (completed === undefined) throw detailError(400, "Invalid status value. Must be 'incomplete' or 'complete'");
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
    throw detailError(400, "Invalid sort value. Must be 'priority', 'due_date', '-due_date', or omitted");
  }
  return SORTS[word]!;
}

export interface ListPlan {
  /** The `tasks.list` input, without paging (the route pages through everything). */
  input: Omit<ListInput, 'limit' | 'cursor'>;
  /** Puts the tasks of one run of equal sort values in the contract's tie order, in place. */
  orderTies(tasks: Task[]): Task[];
}

const newestFirst = (a: Task, b: Task) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id;

/** Sorts each run of consecutive tasks sharing a primary key: O(n) when there are no ties. */
function orderRuns(tasks: Task[], key: (task: Task) => unknown): Task[] {
  let start = 0;
  for (let end = 1; end <= tasks.length; end++) {
    if (end < tasks.length && key(tasks[end]!) === key(tasks[start]!)) continue;
    if (end - start > 1) {
      const run = tasks.slice(start, end).sort(newestFirst);
      for (let i = 0; i < run.length; i++) tasks[start + i] = run[i]!;
    }
    start = end;
  }
  return tasks;
}

export function listPlan(query: unknown): ListPlan {
  const params = (query ?? {}) as Record<string, unknown>;
  const status = statusFilter(lastValue(params['status']));
  const order = sortOrder(lastValue(params['sort']));
  const key = order.sort ? PRIMARY_KEY[order.sort] : undefined;
  // Sorted by created_at desc, id desc already: the procedure's ties are the contract's.
  return { input: { status, ...order }, orderTies: key ? (tasks) => orderRuns(tasks, key) : (tasks) => tasks };
}
