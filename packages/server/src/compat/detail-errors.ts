// The original system's error bodies, `{"detail": …}`: each failure the compatibility routes can
// answer, with its status. Procedure and framework errors are translated here, once; the routes only
// throw. FastAPI's validation entries are made from zod issues in validation-errors.ts.
import { TRPCError } from '@trpc/server';

/** One entry of FastAPI's 422 body: `{"type": "missing", "loc": ["body", "title"], "msg": "Field required"}`. */
export interface ValidationEntry {
  type: string;
  loc: (string | number)[];
  msg: string;
}

export class CompatError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(typeof body === 'object' ? JSON.stringify(body) : String(body));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** `{"detail": {"error": message}}`: validation and lookup errors. */
export const detailError = (status: number, message: string, headers?: Record<string, string>) =>
  new CompatError(status, { detail: { error: message } }, headers);

export const unauthorized = (why: string) =>
  new CompatError(401, { detail: { error: 'Unauthorized', message: why } }, { 'www-authenticate': 'Bearer' });

export const forbidden = (why: string) => new CompatError(403, { detail: { error: 'Forbidden', message: why } });

export const unprocessable = (entries: ValidationEntry[]) => new CompatError(422, { detail: entries });

export const invalidTaskId = () => detailError(400, 'Invalid task ID');
export const taskNotFound = () => detailError(404, 'Task not found');

const STATUS_BY_CODE: Partial<Record<TRPCError['code'], number>> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
};

/** Translates what a procedure threw (other than its input's zod issues) into this surface's answer. */
export function fromProcedureError(error: unknown): CompatError {
  if (error instanceof CompatError) return error;
  if (!(error instanceof TRPCError)) return detailError(500, 'Internal server error');
  switch (error.code) {
    case 'NOT_FOUND':
      return taskNotFound();
    case 'UNAUTHORIZED':
      return unauthorized(error.message);
    case 'SERVICE_UNAVAILABLE':
      return detailError(503, error.message, { 'retry-after': String('retryAfterSeconds' in error ? error.retryAfterSeconds : 5) });
    case 'INTERNAL_SERVER_ERROR':
      return detailError(500, 'Internal server error');
    default:
      return detailError(STATUS_BY_CODE[error.code] ?? 500, STATUS_BY_CODE[error.code] ? error.message : 'Internal server error');
  }
}

/** Errors raised by Fastify itself before a handler runs (body too large, rate limit, timeouts). */
export function fromFrameworkError(error: unknown): CompatError {
  if (error instanceof CompatError) return error;
  if (error instanceof TRPCError) return fromProcedureError(error);
  const { statusCode, code, message } = (error ?? {}) as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return detailError(413, 'Request body is too large');
  // FST_ERR_HANDLER_TIMEOUT: a dependency is stuck; like an unreachable database, worth a retry.
  if (statusCode === 503) return detailError(503, 'The service is unavailable; retry shortly', { 'retry-after': '5' });
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && typeof message === 'string') {
    return detailError(statusCode, message);
  }
  return detailError(500, 'Internal server error');
}
