// React code on @tasks/client/react-query: options for useQuery and useMutation, typed end to end.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createTasksQueryOptions, useTRPC } from '@tasks/client/react-query';
import type { TasksClient } from '@tasks/client';

export function usePendingTitles(): string[] | undefined {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.tasks.list.queryOptions({ status: 'pending' }));
  // @ts-expect-error dueAt is a Date or null, not a number
  const due: number | undefined = data?.items[0]?.dueAt;
  void due;
  return data?.items.map((task) => task.title);
}

export function useAddTask() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.tasks.create.mutationOptions({
      onSuccess: (task) => queryClient.invalidateQueries({ queryKey: trpc.tasks.list.queryKey(), exact: false, predicate: () => task.id > 0 }),
    }),
  );
}

export async function prefetchPending(client: TasksClient, queryClient: QueryClient): Promise<number> {
  const trpc = createTasksQueryOptions({ client, queryClient });
  const page = await queryClient.fetchQuery(trpc.tasks.list.queryOptions({ status: 'pending' }));
  return page.items.length;
}
