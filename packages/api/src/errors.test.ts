import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import {
  errorHttp,
  MethodNotAllowed,
  PayloadTooLarge,
  RateLimited,
  ServiceUnavailable,
  TaskNotFound,
  toClientError,
  Unauthorized,
  UnsupportedMediaType,
} from './errors.ts';

/** A driver-shaped error as `pg` raises it: SQLSTATE in `code`, server text in `message`. */
function pgError(code: string, message = 'relation "tasks" violates something in SELECT * FROM tasks') {
  return Object.assign(new Error(message), { code, severity: 'ERROR', constraint: 'tasks_title_not_blank' });
}

describe('toClientError maps SQLSTATEs once, at the boundary', () => {
  it.each([
    ['22001', 'string_data_right_truncation', 'BAD_REQUEST'],
    ['22003', 'numeric_value_out_of_range', 'BAD_REQUEST'],
    ['22021', 'character_not_in_repertoire', 'BAD_REQUEST'],
    ['22P02', 'invalid_text_representation', 'BAD_REQUEST'],
    ['22007', 'invalid_datetime_format', 'BAD_REQUEST'],
    ['23502', 'not_null_violation', 'BAD_REQUEST'],
    ['23514', 'check_violation', 'BAD_REQUEST'],
    ['23505', 'unique_violation', 'CONFLICT'],
    ['23503', 'foreign_key_violation', 'CONFLICT'],
    ['08000', 'connection_exception', 'SERVICE_UNAVAILABLE'],
    ['08003', 'connection_does_not_exist', 'SERVICE_UNAVAILABLE'],
    ['08006', 'connection_failure', 'SERVICE_UNAVAILABLE'],
    ['57P01', 'admin_shutdown', 'SERVICE_UNAVAILABLE'],
    ['57P02', 'crash_shutdown', 'SERVICE_UNAVAILABLE'],
    ['57P03', 'cannot_connect_now', 'SERVICE_UNAVAILABLE'],
    ['57014', 'query_canceled (statement_timeout)', 'SERVICE_UNAVAILABLE'],
    ['53300', 'too_many_connections', 'SERVICE_UNAVAILABLE'],
    ['40001', 'serialization_failure', 'SERVICE_UNAVAILABLE'],
    ['40P01', 'deadlock_detected', 'SERVICE_UNAVAILABLE'],
    ['42P01', 'undefined_table', 'INTERNAL_SERVER_ERROR'],
    ['42601', 'syntax_error', 'INTERNAL_SERVER_ERROR'],
    ['XX000', 'internal_error', 'INTERNAL_SERVER_ERROR'],
  ])('%s (%s) → %s', (code, _name, expected) => {
    const mapped = toClientError(pgError(code));
    expect(mapped.code).toBe(expected);
    expect(mapped.message).not.toMatch(/relation|SELECT|tasks_title_not_blank|violates/);
  });

  it.each([
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['pool exhausted', new Error('timeout exceeded when trying to connect')],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
  ])('%s → SERVICE_UNAVAILABLE with a retry hint', (_name, error) => {
    const mapped = toClientError(error);
    expect(mapped).toBeInstanceOf(ServiceUnavailable);
    expect((mapped as ServiceUnavailable).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('keeps errors that are already client errors', () => {
    const notFound = new TaskNotFound();
    expect(toClientError(notFound)).toBe(notFound);
    const conflict = new TRPCError({ code: 'CONFLICT', message: 'x' });
    expect(toClientError(conflict)).toBe(conflict);
  });

  it('turns anything unknown into a generic internal error that keeps the cause for logs', () => {
    const cause = new TypeError("Cannot read properties of undefined (reading 'rows')");
    const mapped = toClientError(cause);
    expect(mapped.code).toBe('INTERNAL_SERVER_ERROR');
    expect(mapped.message).toBe('Internal server error');
    expect(mapped.cause).toBe(cause);
    expect(toClientError(undefined).code).toBe('INTERNAL_SERVER_ERROR');
    expect(toClientError('a string').code).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('errorHttp: one status and the headers it needs, for every surface', () => {
  it.each([
    ['TaskNotFound', new TaskNotFound(), 404, {}],
    ['Unauthorized', new Unauthorized('Token has expired'), 401, { 'www-authenticate': 'Bearer' }],
    ['ServiceUnavailable (default delay)', new ServiceUnavailable('down'), 503, { 'retry-after': '5' }],
    ['ServiceUnavailable (its own delay)', new ServiceUnavailable('down', undefined, 17), 503, { 'retry-after': '17' }],
    ['RateLimited', new RateLimited('slow down', 42), 429, { 'retry-after': '42' }],
    ['MethodNotAllowed', new MethodNotAllowed('no', ['GET', 'HEAD', 'OPTIONS']), 405, { allow: 'GET, HEAD, OPTIONS' }],
    ['PayloadTooLarge', new PayloadTooLarge(), 413, {}],
    ['UnsupportedMediaType', new UnsupportedMediaType(), 415, {}],
    ['a plain CONFLICT', new TRPCError({ code: 'CONFLICT', message: 'x' }), 409, {}],
    ['a plain SERVICE_UNAVAILABLE', new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'x' }), 503, { 'retry-after': '5' }],
  ])('%s', (_name, error, status, headers) => {
    expect(errorHttp(error)).toEqual({ status, headers });
  });
});
