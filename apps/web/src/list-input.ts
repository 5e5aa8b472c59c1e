// The list's controls (what the person chose) → the `tasks.list` input the server takes. "Today"
// and "upcoming" are the browser's calendar days (date-only dues read in its time zone), as the stats
// header counts them.
import type { RouterInputs } from '@tasks/client';

export type ListInput = Exclude<RouterInputs['tasks']['list'], void | undefined>;

export type DueFilter = 'any' | 'overdue' | 'today' | 'upcoming';
export type SortChoice = 'newest' | 'oldest' | 'due' | 'priority' | 'title' | 'updated';

export interface ListFilters {
  status: 'all' | 'pending' | 'completed';
  priority: 'any' | 'low' | 'medium' | 'high';
  tag: string;
  due: DueFilter;
  search: string;
  sort: SortChoice;
}

export const DEFAULT_FILTERS: ListFilters = { status: 'all', priority: 'any', tag: '', due: 'any', search: '', sort: 'newest' };

export const PAGE_SIZE = 20;

const SORTS: Record<SortChoice, Pick<ListInput, 'sort' | 'order'>> = {
  newest: { sort: 'createdAt', order: 'desc' },
  oldest: { sort: 'createdAt', order: 'asc' },
  due: { sort: 'dueAt', order: 'asc' },
  priority: { sort: 'priority', order: 'desc' },
  title: { sort: 'title', order: 'asc' },
  updated: { sort: 'updatedAt', order: 'desc' },
};

/** Midnight at the start of `now`'s day, `days` later, in the browser's time zone. */
function startOfDay(now: Date, days = 0): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
}

export function listInput(filters: ListFilters, now: Date = new Date()): ListInput {
  const input: ListInput = { status: filters.status, limit: PAGE_SIZE, timeZone: browserTimeZone() };
  if (filters.priority !== 'any') input.priority = filters.priority;
  const tag = filters.tag.trim();
  if (tag) input.tag = tag;
  const search = filters.search.trim();
  if (search) input.q = search;
  // While searching, "newest" gives way to the server's relevance order.
  if (!(search && filters.sort === 'newest')) Object.assign(input, SORTS[filters.sort]);
  if (filters.due === 'overdue') input.overdue = true;
  if (filters.due === 'today') input.dueToday = true;
  if (filters.due === 'upcoming') input.dueAfter = startOfDay(now, 1);
  return input;
}

/** The browser's IANA zone, for the stats' "due today" (UTC when the browser gives none). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
