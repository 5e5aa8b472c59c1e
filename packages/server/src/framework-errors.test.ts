import { errorHttp } from '@tasks/api';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { fromFrameworkError } from './framework-errors.ts';

const fastifyError = (code: string, statusCode: number, message = 'as Fastify says it') =>
  Object.assign(new Error(message), { code, statusCode });

describe("fromFrameworkError: Fastify's own errors as catalogue errors", () => {
  it.each([
    ['body too large', fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413), 413, 'Request body is too large'],
    ['media type', fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), 415, 'Send the body as application/json'],
    ['empty JSON body', fastifyError('FST_ERR_CTP_EMPTY_JSON_BODY', 400), 400, 'The body is empty but Content-Type says JSON: send {} or no Content-Type'],
    ['invalid JSON', fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400, 'Unexpected token'), 400, 'The body is not valid JSON'],
    ['a path segment over the limit, without the URL quoted back', fastifyError('FST_ERR_MAX_PARAM_LENGTH', 414, `'/trpc/${'a,'.repeat(3000)}' is exceeding the max param length`), 400, 'A segment of the URL path is too long'],
    ['a bad percent-encoding', fastifyError('FST_ERR_BAD_URL', 400, "'%E0%A4%A' is not a valid url component"), 400, 'The URL path is not validly percent-encoded'],
    ['a 4xx with a code', fastifyError('FST_ERR_X', 409, 'taken'), 409, 'taken'],
    ['a 4xx without one keeps the client at fault', fastifyError('FST_ERR_Y', 406, 'not acceptable'), 400, 'not acceptable'],
  ])('%s', (_name, error, status, message) => {
    const mapped = fromFrameworkError(error);
    expect(errorHttp(mapped).status).toBe(status);
    expect(mapped.message).toBe(message);
  });

  it("a 503 (Fastify's handler timeout) is a retryable 503 with Retry-After", () => {
    expect(errorHttp(fromFrameworkError(fastifyError('FST_ERR_HANDLER_TIMEOUT', 503)))).toEqual({ status: 503, headers: { 'retry-after': '5' } });
  });

  it('anything else is an internal error that describes nothing', () => {
    const mapped = fromFrameworkError(new Error('connect ECONNREFUSED 10.0.0.1:5432'));
    expect(mapped.code).toBe('INTERNAL_SERVER_ERROR');
    expect(mapped.message).toBe('Internal server error');
  });

  it('a catalogue error passes through as it is', () => {
    const error = new TRPCError({ code: 'NOT_FOUND', message: 'Task not found' });
    expect(fromFrameworkError(error)).toBe(error);
  });
});
