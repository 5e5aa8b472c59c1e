// The original system's error bodies, `{"detail": …}`. Status and headers (WWW-Authenticate,
// Retry-After, Allow) are the error catalogue's (`errorHttp`); this module only shapes the body the
// original's clients read. FastAPI's validation entries are made from zod issues in validation-errors.ts.
import { errorHttp, MethodNotAllowed } from '@tasks/api';
import { TRPCError } from '@trpc/server';
import { fromFrameworkError } from '../framework-errors.ts';

/** One entry of FastAPI's 422 body: `{"type": "missing", "loc": ["body", "title"], "msg": "Field required"}`. */
export interface ValidationEntry {
  type: string;
  loc: (string | number)[];
  msg: string;
}

/** A catalogue error with the body this surface answers it with. */
export class CompatError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  constructor(error: TRPCError, body: unknown) {
    super(error.message, { cause: error });
    ({ status: this.status, headers: this.headers } = errorHttp(error));
    this.body = body;
  }
}

/** `{"detail": {"error": message}}`: validation and lookup errors. */
const detailError = (error: TRPCError, message = error.message) => new CompatError(error, { detail: { error: message } });

export const badRequest = (message: string) => detailError(new TRPCError({ code: 'BAD_REQUEST', message }));

export const unauthorized = (error: TRPCError) => new CompatError(error, { detail: { error: 'Unauthorized', message: error.message } });

export const forbidden = (why: string) =>
  new CompatError(new TRPCError({ code: 'FORBIDDEN', message: why }), { detail: { error: 'Forbidden', message: why } });

export const unprocessable = (entries: ValidationEntry[]) =>
  new CompatError(new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: 'The body is not valid' }), { detail: entries });

export const invalidTaskId = () => badRequest('Invalid task ID');

/** FastAPI's 405 body is a bare string. */
export const methodNotAllowed = (allowed: readonly string[]) =>
  new CompatError(new MethodNotAllowed('Method Not Allowed', allowed), { detail: 'Method Not Allowed' });

const internalError = (cause: unknown) =>
  detailError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', cause }));

/**
 * What a procedure threw (other than its input's zod issues), or Fastify raised around a handler (a
 * body over the limit, the rate limit, the handler timeout), as this surface's answer.
 */
export function compatAnswer(error: unknown): CompatError {
  if (error instanceof CompatError) return error;
  const caught = fromFrameworkError(error);
  switch (caught.code) {
    case 'NOT_FOUND':
      // Another user's task is indistinguishable from a missing one.
      return detailError(caught, 'Task not found');
    case 'UNAUTHORIZED':
      return unauthorized(caught);
    case 'SERVICE_UNAVAILABLE':
      return detailError(caught);
  }
  // Messages of client errors are the catalogue's own; anything else is described to no client.
  return errorHttp(caught).status < 500 ? detailError(caught) : internalError(caught);
}
