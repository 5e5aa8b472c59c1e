// Inner context ({ db, userId }) is what procedures use and tests build directly; the outer
// context only reads the request's Authorization header and verifies it lazily in `authed`.
import type { Database } from '@tasks/db';
import type { TRPCError } from '@trpc/server';
import type { Kysely } from 'kysely';
import type { Authenticator } from './auth.ts';

export interface Context {
  db: Kysely<Database>;
  /** Set once the caller is known (tests set it directly). */
  userId: string | null;
  /** The raw `Authorization` header, verified on first use by an authed procedure. */
  authorization?: string | undefined;
  authenticator?: Authenticator | undefined;
  /** Set when the HTTP layer already verified the header and it failed. */
  authError?: TRPCError | undefined;
}

export function createInnerContext(opts: { db: Kysely<Database>; userId?: string | null }): Context {
  return { db: opts.db, userId: opts.userId ?? null };
}

export interface ContextDeps {
  db: Kysely<Database>;
  authenticator: Authenticator;
}

/** What the HTTP layer knows of the caller: the raw header, and the outcome if it verified it already. */
export interface RequestAuth {
  authorization?: string | undefined;
  userId?: string | null | undefined;
  authError?: TRPCError | undefined;
}

/** The per-request context factory the HTTP adapters call; verification stays lazy unless already done. */
export function createContextFactory(deps: ContextDeps) {
  return (request: RequestAuth): Context => ({
    db: deps.db,
    userId: request.userId ?? null,
    authorization: request.authorization,
    authenticator: deps.authenticator,
    authError: request.authError,
  });
}
