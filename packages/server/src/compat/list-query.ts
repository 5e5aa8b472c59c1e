// `GET /api/{user_id}/tasks?status=…&sort=…`: the original's query words mapped onto `tasks.list`.
import type { ListTasksInput } from '@tasks/api';
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

function sortOrder(raw: string | undefined): Pick<ListInput, 'sort' | 'order'> {
  const word = raw ?? '';
  if (!Object.hasOwn(SORTS, word)) {
    throw badRequest("Invalid sort value. Must be 'priority', 'due_date', '-due_date', or omitted");
  }
  return SORTS[word]!;
}

/**
 * The `tasks.list` input for a query, without paging (the route pages through everything). Every
 * order breaks ties by `created_at` desc, then `id` desc (SEED-CONTRACT.md): the procedure's `newest` ties.
 */
export function listInput(query: unknown): Omit<ListInput, 'limit' | 'cursor'> {
  const params = (query ?? {}) as Record<string, unknown>;
  return { status: statusFilter(lastValue(params['status'])), ...sortOrder(lastValue(params['sort'])), ties: 'newest' };
}
