// Optimistic edits of every cached page of `tasks.list` (one cache per filter and sort), with the
// snapshot to roll back to when the server refuses, and the refetch that settles what it decided.
import { useQueryClient, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import type { Task, TaskPage } from '@tasks/client';
import { useTRPC } from '@tasks/client/react-query';

export type ListPages = InfiniteData<TaskPage, unknown>;
export type ListSnapshot = Array<[QueryKey, ListPages | undefined]>;

export function replaceTask(pages: ListPages, id: number, change: (task: Task) => Task): ListPages {
  return { ...pages, pages: pages.pages.map((page) => ({ ...page, items: page.items.map((t) => (t.id === id ? change(t) : t)) })) };
}

export function removeTask(pages: ListPages, id: number): ListPages {
  return { ...pages, pages: pages.pages.map((page) => ({ ...page, items: page.items.filter((t) => t.id !== id) })) };
}

export function prependTask(pages: ListPages, task: Task): ListPages {
  const [first, ...rest] = pages.pages;
  if (!first) return pages;
  return { ...pages, pages: [{ ...first, items: [task, ...first.items] }, ...rest] };
}

export function useListCache() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const lists = { queryKey: trpc.tasks.list.pathKey() };
  return {
    /** Applies `change` to every cached list now; resolves to what to restore on failure. */
    async edit(change: (pages: ListPages) => ListPages): Promise<ListSnapshot> {
      // A refetch in flight would overwrite the optimistic state with the old one.
      await queryClient.cancelQueries(lists);
      const snapshot = queryClient.getQueriesData<ListPages>(lists);
      queryClient.setQueriesData<ListPages>(lists, (data) => (data?.pages ? change(data) : data));
      return snapshot;
    },
    restore(snapshot: ListSnapshot | undefined) {
      for (const [key, data] of snapshot ?? []) queryClient.setQueryData(key, data);
    },
    /** The server's answer decides: filters and sorts may now place the task elsewhere, or nowhere. */
    settle() {
      void queryClient.invalidateQueries(lists);
      void queryClient.invalidateQueries({ queryKey: trpc.tasks.stats.pathKey() });
    },
  };
}
