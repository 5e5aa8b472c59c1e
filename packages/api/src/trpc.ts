import { initTRPC, type TRPCError } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import type { Context } from './context.ts';
import { errorDetails, errorHttp, toClientError, Unauthorized } from './errors.ts';
import { wireTransformer } from './wire-transformer.ts';

export interface FieldIssue {
  path: string;
  message: string;
}

/** Zod issues as `{ path: 'title', message }`, the shape both surfaces report. */
export function fieldIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
}

/**
 * What a client is told of an error, on every surface: field issues when the input was invalid, a
 * generic message for an internal error (never driver text or a stack), the error's own message otherwise.
 */
export function clientErrorMessage(error: TRPCError): { message: string; issues: FieldIssue[] | undefined } {
  const issues = error.cause instanceof ZodError ? fieldIssues(error.cause) : undefined;
  if (issues?.length) return { message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues };
  return { message: error.code === 'INTERNAL_SERVER_ERROR' ? 'Internal server error' : error.message, issues: undefined };
}

/**
 * The error shape of every tRPC answer: what the router's errorFormatter gives, and what the server
 * sends itself for an error raised before tRPC runs (the rate limiter, a body over the limit), so the
 * typed client reads `error.data.code` and `httpStatus` alike. Never a stack or driver text.
 */
export function trpcErrorShape(error: TRPCError, path: string | undefined) {
  const { message, issues } = clientErrorMessage(error);
  return {
    code: TRPC_ERROR_CODES_BY_KEY[error.code],
    message,
    data: { code: error.code, httpStatus: errorHttp(error).status, path, issues, ...errorDetails(error) },
  };
}

const t = initTRPC
  .context<Context>()
  .create({
    // superjson on the wire; its serializer skipped for plain data (wire-transformer.ts).
    transformer: wireTransformer,
    // Subscriptions over SSE (tasks.onChange): a ping comment keeps proxies from closing an idle
    // stream, and a client that hears nothing (not even a ping) for longer reconnects with its
    // lastEventId. Streams end after maxDurationMs so clients spread again over instances.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 }, maxDurationMs: 30 * 60_000 },
    // Never send stacks or driver text: the shape carries the code, a message and field issues only.
    errorFormatter: ({ shape, error }) => trpcErrorShape(error, shape.data.path),
  });

/** Turns whatever a procedure threw into the client-facing error (SQLSTATE mapping lives in errors.ts). */
function withClientError<R extends { ok: boolean }>(result: R): R {
  if (!result.ok) {
    const { error } = result as unknown as { error: TRPCError };
    if (error.code === 'INTERNAL_SERVER_ERROR' && error.cause) throw toClientError(error.cause);
  }
  return result;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(async ({ ctx, path, type, next }) =>
  withClientError(await (ctx.traceProcedure ? ctx.traceProcedure(path, type, () => next()) : next())),
);

// Authentication, tracing and error mapping in one middleware: every tRPC middleware level copies the
// call's options twice, and these run on every request of every surface.
export const authedProcedure = t.procedure.use(async ({ ctx, path, type, next }) => {
  const { userId } = ctx;
  if (userId === null) throw ctx.authError ?? new Unauthorized('Missing bearer token');
  const run = () => next({ ctx: { userId } });
  return withClientError(await (ctx.traceProcedure ? ctx.traceProcedure(path, type, run) : run()));
});
