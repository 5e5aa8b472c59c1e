import { initTRPC } from '@trpc/server';
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

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    transformer: superjson,
    // Never send stacks or driver text: the shape carries the code, a message and field issues only.
    errorFormatter({ shape, error }) {
      const issues = error.cause instanceof ZodError ? fieldIssues(error.cause) : undefined;
      const message = issues?.length
        ? issues.map((i) => `${i.path}: ${i.message}`).join('; ')
        : error.code === 'INTERNAL_SERVER_ERROR'
          ? 'Internal server error'
          : shape.message;
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
