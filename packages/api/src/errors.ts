// The error catalogue: domain failures and PostgreSQL SQLSTATEs mapped to tRPC codes, once, here.
import { TRPCError } from '@trpc/server';

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

/** A dependency (database, JWKS endpoint) is unreachable: clients should retry later. */
export class ServiceUnavailable extends TRPCError {
  readonly retryAfterSeconds: number;
  constructor(message: string, cause?: unknown, retryAfterSeconds = 5) {
    super({ code: 'SERVICE_UNAVAILABLE', message, cause });
    this.retryAfterSeconds = retryAfterSeconds;
  }
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
