// `@tasks/client/react-query`: typed TanStack Query options for every procedure, through tRPC's
// TanStack Query integration. React, @tanstack/react-query and @trpc/tanstack-react-query are the
// app's own (optional peers), so the main entry stays free of them.
import type { QueryClient } from '@tanstack/react-query';
import { createTRPCContext, createTRPCOptionsProxy, type TRPCOptionsProxy } from '@trpc/tanstack-react-query';

/** For `useSubscription(useTRPC().tasks.onChange.subscriptionOptions(input, { onData }))`: live changes over SSE. */
export { useSubscription } from '@trpc/tanstack-react-query';
import type { AppRouter, TasksClient } from './index.ts';

/**
 * The provider and hooks for components: `useTRPC().tasks.list.queryOptions(input)` and
 * `useTRPC().tasks.create.mutationOptions()` feed `useQuery` / `useMutation`.
 *
 * @example
 * <TRPCProvider trpcClient={client} queryClient={queryClient}><App /></TRPCProvider>
 * const trpc = useTRPC();
 * const { data } = useQuery(trpc.tasks.list.queryOptions({ status: 'pending' }));
 */
const context: TasksReactContext = createTRPCContext<AppRouter>();
export const TRPCProvider: TasksReactContext['TRPCProvider'] = context.TRPCProvider;
export const useTRPC: TasksReactContext['useTRPC'] = context.useTRPC;
export const useTRPCClient: TasksReactContext['useTRPCClient'] = context.useTRPCClient;

/** Named, so the declarations refer to React's types through the peers instead of spelling them out. */
export type TasksReactContext = ReturnType<typeof createTRPCContext<AppRouter>>;

export type TasksQueryOptions = TRPCOptionsProxy<AppRouter>;

/**
 * The same options outside components (route loaders, prefetching, invalidation).
 *
 * @example
 * const trpc = createTasksQueryOptions({ client, queryClient });
 * await queryClient.prefetchQuery(trpc.tasks.list.queryOptions());
 */
export function createTasksQueryOptions(options: { client: TasksClient; queryClient: QueryClient }): TasksQueryOptions {
  return createTRPCOptionsProxy<AppRouter>(options);
}
