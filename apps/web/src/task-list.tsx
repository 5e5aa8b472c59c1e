// The list, a page (by cursor) at a time: the next page loads when the end of the list scrolls into
// view, or with the "Load more" button (keyboard users, and browsers without IntersectionObserver).
import { useInfiniteQuery } from '@tanstack/react-query';
import type { Task } from '@tasks/client';
import { useTRPC } from '@tasks/client/react-query';
import { useEffect, useRef } from 'react';
import type { ListInput } from './list-input.ts';
import { describeRefusal } from './server-errors.ts';
import { TaskItem } from './task-item.tsx';

interface Props {
  input: ListInput;
  filtered: boolean;
  onDeleted: (task: Task) => void;
  onRefused: (message: string) => void;
}

export function TaskList({ input, filtered, onDeleted, onRefused }: Props) {
  const trpc = useTRPC();
  const list = useInfiniteQuery(
    trpc.tasks.list.infiniteQueryOptions(input, {
      getNextPageParam: (page) => page.nextCursor,
    }),
  );
  const end = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;

  useEffect(() => {
    const target = end.current;
    if (!target || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    }, { rootMargin: '200px' });
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (list.isPending) return <p role="status" className="state">Loading your tasks…</p>;
  if (list.isError) {
    return (
      <div role="alert" className="state error">
        <p>Could not load your tasks: {describeRefusal(list.error).message}</p>
        <button type="button" onClick={() => void list.refetch()}>Try again</button>
      </div>
    );
  }
  const tasks = list.data.pages.flatMap((page) => page.items);
  if (tasks.length === 0) {
    return <p role="status" className="state">{filtered ? 'No task matches these filters.' : 'No tasks yet: add one above.'}</p>;
  }
  return (
    <>
      <ul className="tasks" aria-label="Tasks">
        {tasks.map((task) => <TaskItem key={task.id} task={task} onDeleted={onDeleted} onRefused={onRefused} />)}
      </ul>
      <div ref={end} className="list-end">
        {hasNextPage ? (
          <button type="button" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        ) : null}
      </div>
    </>
  );
}
