// The error catalogue: every failure a client can be told of, with its tRPC code, HTTP status and
// the headers it needs; domain failures and PostgreSQL SQLSTATEs are mapped to it once, here. Each
// surface (/trpc, /api, the original routes) reads status and headers from `errorHttp` and only
// shapes the body its clients expect.
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';

/** How long a client should wait before retrying a dependency failure, when nothing better is known. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

export class TaskNotFound extends TRPCError {
  constructor() {
    super({ code: 'NOT_FOUND', message: 'Task not found' });
  }
}

export class InvalidCursor extends TRPCError {
  constructor() {
    super({ code: 'BAD_REQUEST', message: 'Invalid cursor: pass nextCursor from a previous page unchanged' });
  }
}

export class CursorMismatch extends TRPCError {
  constructor() {
    super({
      code: 'BAD_REQUEST',
      message: 'Cursor does not match these filters or this sort: repeat the request that returned it, or start without a cursor',
    });
  }
}

/**
 * The task is not at the version the write expected. `CONFLICT` (409) for tRPC's `expectedVersion`;
 * `PRECONDITION_FAILED` (412) for REST's `If-Match` (RFC 9110 §13.1.1). Carries the current task, so
 * the client can merge and retry without another read.
 */
export class VersionConflict<T = unknown> extends TRPCError {
  readonly current: T;
  constructor(current: T, code: 'CONFLICT' | 'PRECONDITION_FAILED') {
    super({ code, message: code === 'CONFLICT' ? 'The task has changed since that version' : 'If-Match does not match the current version of the task' });
    this.current = current;
  }
}

/** REQUIRE_IF_MATCH is on and a write came without If-Match (RFC 6585 §3). */
export class PreconditionRequired extends TRPCError {
  constructor() {
    super({ code: 'PRECONDITION_REQUIRED', message: 'This server requires If-Match on writes: send the ETag of the task you read' });
  }
}

/** The same Idempotency-Key came with another request (draft-ietf-httpapi-idempotency-key-header §2.7: 422). */
export class IdempotencyKeyReused extends TRPCError {
  constructor() {
    super({ code: 'UNPROCESSABLE_CONTENT', message: 'This Idempotency-Key was used for a different request: use a new key for a new request' });
  }
}

/** A request with this Idempotency-Key is still being processed (the draft's 409). */
export class IdempotencyKeyInFlight extends TRPCError {
  constructor() {
    super({ code: 'CONFLICT', message: 'A request with this Idempotency-Key is still in progress; retry shortly' });
  }
}

/** A malformed Idempotency-Key header, or one that cannot apply (a tRPC batch of several calls). */
export class InvalidIdempotencyKey extends TRPCError {
  constructor(message: string) {
    super({ code: 'BAD_REQUEST', message });
  }
}

/** One operation of a batch failed, so none was applied: the operation's own error, and its index. */
export class BatchOperationFailed extends TRPCError {
  readonly operation: number;
  readonly failure: TRPCError;
  constructor(operation: number, failure: TRPCError) {
    super({ code: failure.code, message: `operations[${operation}]: ${failure.message}`, cause: failure });
    this.operation = operation;
    this.failure = failure;
  }
}

/** No usable credential; answered with `WWW-Authenticate: Bearer` (RFC 6750 §3). */
export class Unauthorized extends TRPCError {
  constructor(message: string, cause?: unknown) {
    super({ code: 'UNAUTHORIZED', message, cause });
  }
}

/** Sign-in with an unknown email or a wrong password: one answer for both, so neither is told apart. */
export class InvalidCredentials extends Unauthorized {
  constructor() {
    super('Invalid email or password');
  }
}

export class EmailTaken extends TRPCError {
  constructor() {
    super({ code: 'CONFLICT', message: 'Email already registered' });
  }
}

/**
 * This server keeps no accounts (AUTH_ACCOUNTS=false, or tokens come from an identity provider's
 * JWKS only): 404, as for a route that is not there, with a message that says where accounts are.
 */
export class AccountsUnavailable extends TRPCError {
  constructor(message: string) {
    super({ code: 'NOT_FOUND', message });
  }
}

/** A dependency (database, JWKS endpoint) is unreachable: clients should retry after `retryAfterSeconds`. */
export class ServiceUnavailable extends TRPCError {
  readonly retryAfterSeconds: number;
  constructor(message: string, cause?: unknown, retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS) {
    super({ code: 'SERVICE_UNAVAILABLE', message, cause });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Over the caller's request budget; `Retry-After` says when the window reopens (RFC 6585 §4). */
export class RateLimited extends TRPCError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super({ code: 'TOO_MANY_REQUESTS', message });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The path exists but not with this method; `Allow` lists the ones it has (RFC 9110 §15.5.6). */
export class MethodNotAllowed extends TRPCError {
  readonly allowed: readonly string[];
  constructor(message: string, allowed: readonly string[]) {
    super({ code: 'METHOD_NOT_SUPPORTED', message });
    this.allowed = allowed;
  }
}

export class PayloadTooLarge extends TRPCError {
  constructor(message = 'Request body is too large') {
    super({ code: 'PAYLOAD_TOO_LARGE', message });
  }
}

export class UnsupportedMediaType extends TRPCError {
  constructor(message = 'Send the body as application/json') {
    super({ code: 'UNSUPPORTED_MEDIA_TYPE', message });
  }
}

/**
 * What an error says beyond its code and message, on every surface: the current task of a version
 * conflict, and which operation of a batch failed (its own error, or the first invalid one).
 */
export function errorDetails(error: TRPCError): { current?: unknown; operation?: number } {
  const failure = error instanceof BatchOperationFailed ? error.failure : error;
  const details: { current?: unknown; operation?: number } = {};
  if (error instanceof BatchOperationFailed) details.operation = error.operation;
  if (failure instanceof VersionConflict) details.current = failure.current;
  const issues = (error.cause as { issues?: Array<{ path?: unknown[] }> } | undefined)?.issues;
  const first = Array.isArray(issues) ? issues[0]?.path : undefined;
  if (details.operation === undefined && first?.[0] === 'operations' && typeof first[1] === 'number') details.operation = first[1];
  return details;
}

export class InvalidSyncToken extends TRPCError {
  constructor() {
    super({ code: 'BAD_REQUEST', message: 'Invalid sync token: pass nextToken (or an event id) unchanged, or leave it out for a full sync' });
  }
}

/**
 * A sync token older than the changes' retention: what happened since may be purged. Answered 410
 * Gone, as Microsoft Graph answers an expired delta token; tRPC has no such code, so its code is
 * PRECONDITION_FAILED and `errorHttp` gives the status.
 */
export class SyncTokenExpired extends TRPCError {
  readonly httpStatus = 410;
  constructor(retentionDays: number) {
    super({
      code: 'PRECONDITION_FAILED',
      message: `Sync token expired (changes are kept ${retentionDays} days): resync by calling again without a token`,
    });
  }
}

export interface ErrorHttp {
  status: number;
  /** Lower-case header names, as Fastify and Node set them. */
  headers: Record<string, string>;
}

/**
 * The HTTP status of an error and the headers that status requires, for every surface.
 *
 * @example
 * errorHttp(new ServiceUnavailable('The database is unavailable; retry shortly'));
 * // { status: 503, headers: { 'retry-after': '5' } }
 */
export function errorHttp(error: TRPCError): ErrorHttp {
  const headers: Record<string, string> = {};
  if (error.code === 'UNAUTHORIZED') headers['www-authenticate'] = 'Bearer';
  if (error.code === 'SERVICE_UNAVAILABLE' || error.code === 'TOO_MANY_REQUESTS') {
    const seconds = error instanceof ServiceUnavailable || error instanceof RateLimited ? error.retryAfterSeconds : DEFAULT_RETRY_AFTER_SECONDS;
    headers['retry-after'] = String(seconds);
  }
  if (error instanceof MethodNotAllowed) headers['allow'] = error.allowed.join(', ');
  return { status: error instanceof SyncTokenExpired ? error.httpStatus : getHTTPStatusCodeFromError(error), headers };
}

interface PgLikeError {
  code?: unknown;
  message?: unknown;
}

// SQLSTATE classes: https://www.postgresql.org/docs/current/errcodes-appendix.html
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57014', // query_canceled (statement_timeout)
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '55P03', // lock_not_available
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

// Node socket errors and pg's own messages when the server is gone or the pool is exhausted.
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
  'terminating connection',
  'the database system is',
];

/**
 * Maps an error thrown below the procedures (the driver, PostgreSQL) to the error a client sees.
 * Messages are generic: SQL, constraint names and driver text never reach a response.
 */
export function toClientError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  const { code, message } = (error ?? {}) as PgLikeError;
  const sqlstate = typeof code === 'string' ? code : '';
  const text = typeof message === 'string' ? message : '';

  if (UNAVAILABLE_SQLSTATES.has(sqlstate) || sqlstate.startsWith('08') || UNAVAILABLE_NODE_CODES.has(sqlstate)) {
    return new ServiceUnavailable('The database is unavailable; retry shortly', error);
  }
  if (UNAVAILABLE_MESSAGES.some((m) => text.includes(m))) {
    return new ServiceUnavailable('The database is unavailable; retry shortly', error);
  }
  if (sqlstate === '23505') return new TRPCError({ code: 'CONFLICT', message: 'The resource already exists', cause: error });
  if (sqlstate === '23503') {
    return new TRPCError({ code: 'CONFLICT', message: 'A referenced resource does not exist', cause: error });
  }
  if (sqlstate.startsWith('22') || sqlstate.startsWith('23')) {
    return new TRPCError({ code: 'BAD_REQUEST', message: 'The input was rejected by the database', cause: error });
  }
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', cause: error });
}
