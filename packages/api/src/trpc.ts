import { initTRPC, type TRPCError } from '@trpc/server';
import superjson from 'superjson';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import { authenticateHeader } from './auth.ts';
import type { Context } from './context.ts';
import { toClientError } from './errors.ts';

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

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    transformer: superjson,
    // Never send stacks or driver text: the shape carries the code, a message and field issues only.
    errorFormatter({ shape, error }) {
      const { message, issues } = clientErrorMessage(error);
      return {
        code: shape.code,
        message,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, issues },
      };
    },
  });

/** Turns whatever a procedure threw into the client-facing error (SQLSTATE mapping lives in errors.ts). */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR' && result.error.cause) {
    throw toClientError(result.error.cause);
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (ctx.userId) return next({ ctx: { ...ctx, userId: ctx.userId } });
  if (ctx.authError) throw ctx.authError;
  const userId = await authenticateHeader(ctx.authenticator, ctx.authorization);
  return next({ ctx: { ...ctx, userId } });
});
