// /trpc: tRPC's own Fastify plugin, with its plain JSON answers sent as one string. The plugin hands
// Fastify a fetch `Response`, which Fastify streams: a chunked body written in two socket writes
// (the data, then the last chunk) and stream bookkeeping, 10–12 % of the busy time on `tasks.get`
// (bench/README.md, issue #19). A JSON body of tRPC's non-streaming answers is already one string;
// jsonl batches (httpBatchStreamLink) and SSE subscriptions stay streams.
import { errorHttp, trpcErrorShape, wireTransformer } from '@tasks/api';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { AnyRouter } from '@trpc/server';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fromFrameworkError } from './framework-errors.ts';
import { fastQueryHandler, type FastQueryOptions } from './trpc-fast-queries.ts';

/** What tRPC's resolveResponse reads to answer in jsonl (its getAcceptHeader): `trpc-accept`, else `accept`. */
function asksForJsonl(request: FastifyRequest): boolean {
  const { 'trpc-accept': trpcAccept, accept } = request.headers;
  if (trpcAccept !== undefined) return String(trpcAccept) === 'application/jsonl';
  return accept?.split(',').some((type) => type.trim() === 'application/jsonl') ?? false;
}

/** The Response's status, headers and text on the reply, as Fastify itself copies them (lib/reply.js). */
async function sendWhole(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (!(payload instanceof Response) || payload.body === null || asksForJsonl(request)) return payload;
  if (!payload.headers.get('content-type')?.startsWith('application/json')) return payload;
  reply.code(payload.status);
  for (const [name, value] of payload.headers) reply.header(name, value);
  return payload.text();
}

/**
 * An error raised around tRPC's handler (the rate limiter, the handler timeout, a body over the
 * limit) in tRPC's own envelope, one per call of a batch as tRPC answers: the stock client then reads
 * `error.data.code` and `httpStatus` (and does not retry a 429 or a 413 as if the server were
 * unreachable), where Fastify's shape left it "Unable to transform response from server".
 */
function errorAnswerer(maxBatchSize: number | undefined) {
  return function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const caught = fromFrameworkError(error);
    const { status, headers } = errorHttp(caught);
    if (status >= 500 && caught.code === 'INTERNAL_SERVER_ERROR') request.log.error({ err: error }, 'tRPC request failed');
    const envelope = (path: string | undefined) => ({ error: wireTransformer.output.serialize(trpcErrorShape(caught, path)) });
    const path = (request.params as { path?: unknown } | undefined)?.path;
    const paths = typeof path === 'string' ? path.split(',') : [];
    const batch = (request.query as { batch?: unknown } | undefined)?.batch === '1';
    // One error for a batch over the limit (the client gives it to every call): a path of thousands
    // of commas must not make a refused request's answer a thousand times larger.
    if (batch && paths.length <= (maxBatchSize ?? Number.POSITIVE_INFINITY)) return reply.code(status).headers(headers).send(paths.map(envelope));
    return reply.code(status).headers(headers).send(envelope(batch ? undefined : paths[0]));
  };
}

export type TrpcPluginOptions<TRouter extends AnyRouter> = FastifyTRPCPluginOptions<TRouter> & {
  /** Answers the hot queries without tRPC's fetch adapter (trpc-fast-queries.ts); absent: every call the stock way. */
  fastQueries?: FastQueryOptions | undefined;
};

export async function trpcPlugin<TRouter extends AnyRouter>(app: FastifyInstance, options: TrpcPluginOptions<TRouter>): Promise<void> {
  app.setErrorHandler(errorAnswerer(options.trpcOptions.maxBatchSize));
  if (options.fastQueries) app.addHook('preHandler', fastQueryHandler(options.fastQueries));
  app.addHook('onSend', sendWhole);
  // The prefix is this plugin's (Fastify applies it to everything registered inside).
  const { prefix: _prefix, fastQueries: _fastQueries, ...inner } = options;
  await app.register(fastifyTRPCPlugin, inner);
}
