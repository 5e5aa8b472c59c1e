// The typed client. It imports the router's *type* only, so bundling it pulls in no server code.
import type { AppRouter } from '@tasks/api';
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, retryLink, splitLink, type TRPCClient, type TRPCLink } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { EventSource } from 'eventsource';
import superjson from 'superjson';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type Task = RouterOutputs['tasks']['get'];
export type TaskPage = RouterOutputs['tasks']['list'];
export type TaskChangesPage = RouterOutputs['tasks']['changes'];
/** A created or changed task in full, or `{ id, deleted: true, deletedAt }`. */
export type TaskChange = TaskChangesPage['changes'][number];
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
  /** Calls made in the same tick are sent as one HTTP request, up to this many (the server's `TRPC_MAX_BATCH_SIZE`). */
  maxBatchSize?: number;
  /** How many times a mutation is sent again after a network failure or a 503, with the same Idempotency-Key (default 2). */
  retries?: number;
}

/** What a call may pass as `context`: `{ context: { idempotencyKey: 'order-42' } }` on `mutate`. */
export interface TasksCallContext {
  /** The mutation's Idempotency-Key; a new one per call when left out. Reused on the client's own retries. */
  idempotencyKey?: string;
}

/** The server's default `TRPC_MAX_BATCH_SIZE`: a longer batch is refused whole. */
export const DEFAULT_MAX_BATCH_SIZE = 50;

/**
 * Longest URL of a batched GET before the link splits the batch. Node's HTTP parser (under Fastify)
 * refuses a request line plus headers over 16 KiB with 431; half of that leaves room for the token
 * and the other headers. Procedure names in the path stay far below the server's 5,000-character
 * `maxParamLength` at 50 calls.
 */
export const MAX_URL_LENGTH = 8_192;

/**
 * @example
 * const client = createTasksClient({ url: 'http://localhost:8000/trpc', token: () => auth.getToken() });
 * const task = await client.tasks.create.mutate({ title: 'Buy milk' });
 * task.createdAt instanceof Date; // true: superjson keeps Dates as Dates
 */
export function createTasksClient(options: TasksClientOptions): TasksClient {
  const { token } = options;
  const headers = async (): Promise<Record<string, string>> => {
    const value = typeof token === 'function' ? await token() : token;
    return { ...options.headers, ...(value ? { authorization: `Bearer ${value}` } : {}) };
  };
  const transport = { url: options.url, transformer: superjson, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const retries = options.retries ?? 2;
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  // Subscriptions (tasks.onChange) over SSE. The `eventsource` ponyfill runs on fetch, so it sends
  // the Authorization header on Node and in browsers alike (a browser's own EventSource cannot), and
  // asks for the token again on every reconnect.
  const subscriptions = httpSubscriptionLink({
    url: options.url,
    transformer: superjson,
    EventSource,
    eventSourceOptions: () => ({
      fetch: async (input, init) => send(input, { ...init, headers: { ...init.headers, ...(await headers()) } }),
    }),
  });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: subscriptions,
        false: [
          keyEveryMutation,
          retryLink({
            retry: ({ op, error, attempts }) => op.type === 'mutation' && attempts <= retries && (!error.data || error.data.httpStatus === 503),
            retryDelayMs: (attempt) => 100 * 2 ** attempt,
          }),
          // Queries go together; a mutation goes alone, so that its Idempotency-Key names exactly one call
          // (the server refuses a key on a batch of several).
          splitLink({
            condition: (op) => op.type === 'mutation',
            true: httpLink({
              ...transport,
              async headers({ op }) {
                const key = (op.context as TasksCallContext).idempotencyKey;
                return { ...(await headers()), ...(key ? { 'idempotency-key': key } : {}) };
              },
            }),
            false: httpBatchLink({ ...transport, maxItems: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE, maxURLLength: MAX_URL_LENGTH, headers }),
          }),
        ],
      }),
    ],
  });
}

/** A random key (a UUID where the platform has randomUUID: not in an insecure browser context). */
function newIdempotencyKey(): string {
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Gives each mutation its key once, before the retry link, so every attempt of a call sends the same one. */
const keyEveryMutation: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) => {
    if (op.type !== 'mutation' || (op.context as TasksCallContext).idempotencyKey) return next(op);
    return next({ ...op, context: { ...op.context, idempotencyKey: newIdempotencyKey() } });
  };
