// The one error body of /api/tasks…: `{ code, message, issues? }`, whatever produced the error
// (a procedure, Fastify's body parser, the rate limiter, the route table).
import { clientErrorMessage, ServiceUnavailable } from '@tasks/api';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z } from 'zod';

export const RestError = z
  .object({
    code: z.string().meta({ description: 'Stable machine-readable code (tRPC error code names)', example: 'BAD_REQUEST' }),
    message: z.string().meta({ example: 'title: Title is required' }),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'One entry per invalid field (400 only)' }),
  })
  .meta({
    id: 'Error',
    description: 'Every error on /api/tasks has this shape',
    example: { code: 'BAD_REQUEST', message: 'title: Title is required', issues: [{ path: 'title', message: 'Title is required' }] },
  });
export type RestError = z.infer<typeof RestError>;

/** HTTP status → code, for the statuses this surface answers. */
export const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export function restError(status: number, message: string, issues?: RestError['issues']): RestError {
  return { code: STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST'), message, ...(issues?.length ? { issues } : {}) };
}

export interface RestErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: RestError;
}

/**
 * What a procedure threw, as this surface answers it: the tRPC code's HTTP status, the code, the
 * field issues of invalid input, `WWW-Authenticate` with a 401 and `Retry-After` with a 503.
 */
export function fromProcedureError(cause: unknown): RestErrorAnswer {
  const error = cause instanceof TRPCError ? cause : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause });
  const status = getHTTPStatusCodeFromError(error);
  const { message, issues } = clientErrorMessage(error);
  const headers: Record<string, string> = {};
  if (error.code === 'UNAUTHORIZED') headers['www-authenticate'] = 'Bearer';
  if (error.code === 'SERVICE_UNAVAILABLE') {
    headers['retry-after'] = String(error instanceof ServiceUnavailable ? error.retryAfterSeconds : 5);
  }
  return { status, headers, body: { code: error.code, message, ...(issues?.length ? { issues } : {}) } };
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/**
 * Errors raised before a route's handler runs: Fastify's body parsing (`FST_ERR_CTP_*`), the rate limiter,
 * anything else with a 4xx status. Their own messages are safe to show; a 5xx is not described.
 */
export function fromFastifyError(error: FastifyLikeError): { status: number; body: RestError } {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: restError(413, 'Request body is too large') };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: restError(415, 'Send the body as application/json') };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: restError(400, 'The body is empty but Content-Type says JSON: send {} or no Content-Type') };
  }
  const status = error.statusCode ?? 500;
  if (status === 400 && (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(error.message ?? ''))) {
    return { status, body: restError(400, 'The body is not valid JSON') };
  }
  if (status >= 400 && status < 500) return { status, body: restError(status, error.message || 'Bad request') };
  return { status: 500, body: restError(500, 'Internal server error') };
}
