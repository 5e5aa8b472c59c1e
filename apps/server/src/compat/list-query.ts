// `GET /api/{user_id}/tasks?status=…&sort=…`: the original's query words mapped onto `tasks.list`.
import type { ListTasksInput } from '@tasks/api';
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

/**
 * The orders `?sort=` names (matched exactly; empty is omitted). `tasks.list` has only newest-first
 * so far: when the priority and due-date fields land, the list input's sort goes in these values.
 */
const SORTS: Record<string, Partial<ListInput>> = {
  '': {},
  priority: {},
  due_date: {},
  '-due_date': {},
};

function sortOrder(raw: string | undefined): Partial<ListInput> {
  const order = SORTS[raw ?? ''];
  if (!order || !Object.hasOwn(SORTS, raw ?? '')) {
    throw detailError(400, "Invalid sort value. Must be 'priority', 'due_date', '-due_date', or omitted");
  }
  return order;
}

/** The `tasks.list` input for a query string, without paging (the route pages through everything). */
export function listInput(query: unknown): Omit<ListInput, 'limit' | 'cursor'> {
  const params = (query ?? {}) as Record<string, unknown>;
  const status = statusFilter(lastValue(params['status']));
  return { status, ...sortOrder(lastValue(params['sort'])) };
}
