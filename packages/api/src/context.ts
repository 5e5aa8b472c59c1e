// The context is `{ db, userId, authError? }`: the HTTP layer verifies the bearer token once per
// request and hands over the outcome; `authedProcedure` narrows `userId` to a string or throws
// `authError`. Tests build it directly with a user id.
import type { Database } from '@tasks/db';
import type { TRPCError } from '@trpc/server';
import type { Kysely } from 'kysely';
import type { Accounts } from './accounts.ts';
import type { SyncSettings } from './task-sync.ts';

/** Who is calling, as the HTTP layer found out: a user id, or why there is none. */
export interface CallerAuth {
  /** The verified user id; null when no valid token came with the request. */
  userId: string | null;
  /** Why a token that came was refused (absent when none came: that is "Missing bearer token"). */
  authError?: TRPCError | undefined;
}

/** How Idempotency-Key records are kept; one object per server (the clock is injectable for tests). */
export interface IdempotencySettings {
  ttlSeconds: number;
  /** How long a retry waits for the first request with its key to finish before answering 409. */
  inFlightWaitMs: number;
  now: () => Date;
}

/**
 * What the HTTP layer read from a write's headers: its Idempotency-Key (or why it is refused), the
 * status its surface answers on success (stored with the answer), and the versions `If-Match` lists.
 */
export interface WriteHeaders {
  idempotencyKey?: string | TRPCError | undefined;
  successStatus?: number | undefined;
  /** Absent (or `If-Match: *`): no check; otherwise the write applies only at one of these versions. */
  ifMatch?: number[] | undefined;
}

export interface Context extends CallerAuth, WriteHeaders {
  db: Kysely<Database>;
  /** How the account procedures (`auth.*`) sign tokens and count attempts; absent: accounts are off. */
  accounts?: Accounts | undefined;
  /** The caller's address, for the account procedures' per-IP attempt limit. */
  clientIp?: string | undefined;
  /** What "now" is for overdue and due today (tests fix it); the system clock when absent. */
  clock?: (() => Date) | undefined;
  idempotency?: IdempotencySettings | undefined;
  /** Runs each procedure inside a tracing span, when the server traces (absent: no cost). */
  traceProcedure?: (<R extends { ok: boolean }>(path: string, type: string, run: () => Promise<R>) => Promise<R>) | undefined;
  /** The changes feed's retention and clock, and this instance's event streams; absent: the defaults, no streams. */
  sync?: SyncSettings | undefined;
}

export function createContext(
  db: Kysely<Database>,
  auth: CallerAuth,
  request: Pick<Context, 'accounts' | 'clientIp' | 'clock' | 'idempotency' | 'traceProcedure' | 'sync'> & WriteHeaders = {},
): Context {
  // Every field named, in one order, so each request's context has the same shape.
  return {
    db,
    userId: auth.userId,
    authError: auth.authError,
    accounts: request.accounts,
    clientIp: request.clientIp,
    clock: request.clock,
    idempotency: request.idempotency,
    traceProcedure: request.traceProcedure,
    sync: request.sync,
    idempotencyKey: request.idempotencyKey,
    successStatus: request.successStatus,
    ifMatch: request.ifMatch,
  };
}

export function createInnerContext(
  opts: { db: Kysely<Database>; userId?: string | null } & Pick<Context, 'accounts' | 'clientIp' | 'clock' | 'idempotency' | 'sync'> & WriteHeaders,
): Context {
  return { ...opts, userId: opts.userId ?? null };
}
