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

export interface Context extends CallerAuth {
  db: Kysely<Database>;
  /** How the account procedures (`auth.*`) sign tokens and count attempts; absent: accounts are off. */
  accounts?: Accounts | undefined;
  /** The caller's address, for the account procedures' per-IP attempt limit. */
  clientIp?: string | undefined;
  /** The changes feed's retention and clock, and this instance's event streams; absent: the defaults, no streams. */
  sync?: SyncSettings | undefined;
}

export function createContext(db: Kysely<Database>, auth: CallerAuth, request: Pick<Context, 'accounts' | 'clientIp' | 'sync'> = {}): Context {
  return { db, userId: auth.userId, authError: auth.authError, accounts: request.accounts, clientIp: request.clientIp, sync: request.sync };
}

export function createInnerContext(opts: { db: Kysely<Database>; userId?: string | null } & Pick<Context, 'accounts' | 'clientIp' | 'sync'>): Context {
  return { db: opts.db, userId: opts.userId ?? null, accounts: opts.accounts, clientIp: opts.clientIp, sync: opts.sync };
}
