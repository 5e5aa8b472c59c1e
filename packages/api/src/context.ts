// Inner context ({ db, userId }) is what procedures use and tests build directly; the outer
// context only reads the request's Authorization header and verifies it lazily in `authed`.
import type { Database } from '@tasks/db';
import type { Kysely } from 'kysely';
import type { Authenticator } from './auth.ts';

export interface Context {
  db: Kysely<Database>;
  /** Set once the caller is known (tests set it directly). */
  userId: string | null;
  /** The raw `Authorization` header, verified on first use by an authed procedure. */
  authorization?: string | undefined;
  authenticator?: Authenticator | undefined;
}

export function createInnerContext(opts: { db: Kysely<Database>; userId?: string | null }): Context {
  return { db: opts.db, userId: opts.userId ?? null };
}

export interface ContextDeps {
  db: Kysely<Database>;
  authenticator: Authenticator;
}

/** The per-request context factory the HTTP adapters call with the request's Authorization header. */
export function createContextFactory(deps: ContextDeps) {
  return (authorization: string | undefined): Context => ({
    db: deps.db,
    userId: null,
    authorization,
    authenticator: deps.authenticator,
  });
}
