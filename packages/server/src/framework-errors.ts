// Errors Fastify and its plugins raise before a route's handler runs (body parsing, the rate limiter,
// a malformed URL), as errors of the catalogue in @tasks/api, so every surface answers them with the
// status and headers `errorHttp` gives and only shapes the body its clients expect.
import { PayloadTooLarge, ServiceUnavailable, UnsupportedMediaType } from '@tasks/api';
import { TRPCError } from '@trpc/server';

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

type ErrorCode = TRPCError['code'];

// The 4xx statuses Fastify and its plugins raise, as the catalogue's codes.
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  428: 'PRECONDITION_REQUIRED',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * The catalogue error for whatever reached an error handler. Fastify's own messages are safe to show
 * for a 4xx; anything else is an internal error, described to no client.
 *
 * @example
 * fromFrameworkError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }); // PayloadTooLarge → 413
 */
export function fromFrameworkError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  const { code, statusCode, message } = (error ?? {}) as FastifyLikeError;
  const text = typeof message === 'string' ? message : '';
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaType();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new TRPCError({ code: 'BAD_REQUEST', message: 'The body is empty but Content-Type says JSON: send {} or no Content-Type' });
    // Fastify's words for these quote the URL back, which may be thousands of characters.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new TRPCError({ code: 'BAD_REQUEST', message: 'A segment of the URL path is too long' });
    case 'FST_ERR_BAD_URL':
      return new TRPCError({ code: 'BAD_REQUEST', message: 'The URL path is not validly percent-encoded' });
  }
  if (statusCode === 400 && (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(text))) {
    return new TRPCError({ code: 'BAD_REQUEST', message: 'The body is not valid JSON' });
  }
  if (typeof statusCode === 'number') {
    // A 4xx the catalogue has no code for (406, 411…) is still the client's fault: a 400 with Fastify's words.
    if (statusCode >= 400 && statusCode < 500) {
      return new TRPCError({ code: CODE_BY_STATUS[statusCode] ?? 'BAD_REQUEST', message: text || 'Bad request', cause: error });
    }
    // Fastify's own handler timeout (FST_ERR_HANDLER_TIMEOUT): a stuck dependency, worth a retry.
    if (statusCode === 503 || statusCode === 504) return new ServiceUnavailable('The service is unavailable; retry shortly', error);
  }
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', cause: error });
}
