// Another tab's or device's changes, live: tasks.onChange (SSE) says one of the user's tasks changed,
// and the lists and counts refetch. A burst of changes (a batch, an Undo) costs one refetch, and this
// tab's own writes settle their caches themselves, so an event only marks the data stale.
import { useSubscription, useTRPC } from '@tasks/client/react-query';
import { useEffect, useRef } from 'react';
import { useListCache } from './task-cache.ts';

const COALESCE_MS = 150;

export function useLiveChanges(): void {
  const trpc = useTRPC();
  const cache = useListCache();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useSubscription(
    trpc.tasks.onChange.subscriptionOptions(undefined, {
      onData: () => {
        clearTimeout(timer.current);
        timer.current = setTimeout(() => cache.settle(), COALESCE_MS);
      },
    }),
  );
}
