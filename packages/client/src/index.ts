// The typed client. It imports the router's *type* only, so bundling it pulls in no server code.
import type { AppRouter } from '@tasks/api';
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type Task = RouterOutputs['tasks']['get'];
export type TaskPage = RouterOutputs['tasks']['list'];
export type TasksClient = TRPCClient<AppRouter>;

export interface TasksClientOptions {
  /** The server's tRPC endpoint, e.g. `http://localhost:8000/trpc`. */
  url: string;
  /** A JWT, or a function returning one (called per request, so a refreshed token is picked up). */
  token?: string | (() => string | undefined | null | Promise<string | undefined | null>);
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof fetch;
  /** Calls made in the same tick are sent as one HTTP request, up to this many. */
  maxBatchSize?: number;
}

/**
 * @example
 * const client = createTasksClient({ url: 'http://localhost:8000/trpc', token: () => auth.getToken() });
 * const task = await client.tasks.create.mutate({ title: 'Buy milk' });
 * task.createdAt instanceof Date; // true: superjson keeps Dates as Dates
 */
export function createTasksClient(options: TasksClientOptions): TasksClient {
  const { token } = options;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: options.url,
        transformer: superjson,
        maxItems: options.maxBatchSize ?? 10,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        async headers() {
          const value = typeof token === 'function' ? await token() : token;
          return { ...options.headers, ...(value ? { authorization: `Bearer ${value}` } : {}) };
        },
      }),
    ],
  });
}
