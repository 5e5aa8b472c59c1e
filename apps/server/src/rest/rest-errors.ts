// The one error body of /api/tasks…: `{ code, message, issues? }`, whatever produced the error
// (a procedure, trpc-to-openapi, Fastify's body parser, the rate limiter, the route table).
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

interface BridgeErrorBody {
  code?: unknown;
  message?: unknown;
  data?: { issues?: Array<{ path: string; message: string }> };
}

/**
 * trpc-to-openapi's error body is the tRPC error shape plus its own `code`, `message` ('Input
 * validation failed') and raw zod `issues`; this keeps the code and the field issues our error
 * formatter made, and a message that says what was wrong.
 */
export function fromBridgeError(status: number, body: BridgeErrorBody): RestError {
  const code = typeof body.code === 'string' ? body.code : (STATUS_CODES[status] ?? 'INTERNAL_SERVER_ERROR');
  const issues = body.data?.issues;
  if (issues?.length) return { code, message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues };
  if (status >= 500 && code === 'INTERNAL_SERVER_ERROR') return { code, message: 'Internal server error' };
  if (code === 'UNSUPPORTED_MEDIA_TYPE') return { code, message: 'Send the body as application/json' };
  return { code, message: typeof body.message === 'string' ? body.message : 'Request failed' };
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/**
 * Errors raised before the bridge runs: Fastify's body parsing (`FST_ERR_CTP_*`), the rate limiter,
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
