// Search, filters and sort for the list. Search and tag wait for a pause in typing before they
// refetch, so each keystroke is not a request.
import { useEffect, useState } from 'react';
import type { ListFilters } from './list-input.ts';

const TYPING_PAUSE_MS = 300;

function useSettled(value: string, apply: (value: string) => void) {
  useEffect(() => {
    const timer = setTimeout(() => apply(value), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
    // `apply` is a new function each render; only the typed value decides.
  }, [value]);
}

export function ListControls({ filters, onChange }: { filters: ListFilters; onChange: (filters: ListFilters) => void }) {
  const [search, setSearch] = useState(filters.search);
  const [tag, setTag] = useState(filters.tag);
  const set = <K extends keyof ListFilters>(key: K, value: ListFilters[K]) => onChange({ ...filters, [key]: value });
  useSettled(search, (value) => value !== filters.search && set('search', value));
  useSettled(tag, (value) => value !== filters.tag && set('tag', value));

  return (
    <section aria-label="Search and filters" className="controls">
      <div className="search">
        <label htmlFor="search">Search</label>
        <input id="search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Words in titles and descriptions" />
      </div>
      <div>
        <label htmlFor="filter-status">Filter by status</label>
        <select id="filter-status" value={filters.status} onChange={(e) => set('status', e.target.value as ListFilters['status'])}>
          <option value="all">All</option>
          <option value="pending">Pending</option>
          <option value="completed">Completed</option>
        </select>
      </div>
      <div>
        <label htmlFor="filter-priority">Filter by priority</label>
        <select id="filter-priority" value={filters.priority} onChange={(e) => set('priority', e.target.value as ListFilters['priority'])}>
          <option value="any">Any</option>
          <option value="high">High</option>
          <option value="medium">Medium</option>
          <option value="low">Low</option>
        </select>
      </div>
      <div>
        <label htmlFor="filter-due">Filter by due date</label>
        <select id="filter-due" value={filters.due} onChange={(e) => set('due', e.target.value as ListFilters['due'])}>
          <option value="any">Any time</option>
          <option value="overdue">Overdue</option>
          <option value="today">Today</option>
          <option value="upcoming">Upcoming</option>
        </select>
      </div>
      <div>
        <label htmlFor="filter-tag">Filter by tag</label>
        <input id="filter-tag" value={tag} onChange={(e) => setTag(e.target.value)} />
      </div>
      <div>
        <label htmlFor="sort">Sort by</label>
        <select id="sort" value={filters.sort} onChange={(e) => set('sort', e.target.value as ListFilters['sort'])}>
          <option value="newest">{filters.search.trim() ? 'Best match' : 'Newest first'}</option>
          <option value="oldest">Oldest first</option>
          <option value="due">Due soonest</option>
          <option value="priority">Priority</option>
          <option value="title">Title</option>
          <option value="updated">Recently changed</option>
        </select>
      </div>
    </section>
  );
}
