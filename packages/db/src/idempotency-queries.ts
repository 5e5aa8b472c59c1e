// Idempotency-Key records (migration 0007). Every function runs inside the caller's write
// transaction: the claim, the write it guards and the stored answer commit or roll back together.
import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Tx = Transaction<Database>;

export interface IdempotencyClaim {
  userId: string;
  key: string;
  fingerprint: string;
  /** The caller's clock (injectable in tests): expiry is judged by it, not by the database's. */
  now: Date;
  expiresAt: Date;
  /** How long to wait for a concurrent request holding the same key to finish (PostgreSQL's lock_timeout). */
  waitMs: number;
}

export interface StoredAnswer {
  fingerprint: string;
  status: number;
  response: unknown;
}

/**
 * Takes the key for this transaction, or answers what an earlier request with it stored.
 *
 * The row is inserted in the write's own transaction, so until that commits no one else sees it,
 * and a crash or a failed write leaves no claim behind. A concurrent request inserting the same
 * (user_id, key) blocks on the unique index until the first transaction ends (PostgreSQL's
 * speculative insertion waits for the in-progress one), then sees the committed answer and replays
 * it: that wait is what makes concurrent retries answer identically. It is bounded by `lock_timeout`:
 * past `waitMs` PostgreSQL raises 55P03, which the caller reports as 409 (still in flight). On
 * PGlite, one connection runs one transaction at a time, so the second simply runs after the first.
 *
 * @example
 * await claimIdempotencyKey(tx, { userId: 'u1', key: 'k', fingerprint: 'f', now, expiresAt, waitMs: 2000 });
 * // select set_config('lock_timeout', $1, true)
 * // delete from "idempotency_keys" where "user_id" = $1 and "key" = $2 and "expires_at" <= $3
 * // insert into "idempotency_keys" (…) values (…) on conflict ("user_id", "key") do nothing returning "key"
 * // (no row: select "fingerprint", "status", "response" from "idempotency_keys" where …)
 */
export async function claimIdempotencyKey(tx: Tx, claim: IdempotencyClaim): Promise<{ claimed: true } | { claimed: false; stored: StoredAnswer | undefined }> {
  const { userId, key } = claim;
  await sql`select set_config('lock_timeout', ${`${Math.max(1, Math.round(claim.waitMs))}ms`}, true)`.execute(tx);
  // An expired record is as good as none: the key starts afresh (a new write, a new answer).
  await tx.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('expires_at', '<=', claim.now).execute();
  const inserted = await tx
    .insertInto('idempotency_keys')
    .values({ user_id: userId, key, fingerprint: claim.fingerprint, created_at: claim.now, expires_at: claim.expiresAt })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) {
    // The write itself may wait on row locks as long as it usually would.
    await sql`set local lock_timeout to default`.execute(tx);
    return { claimed: true };
  }
  const stored = await tx
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'status', 'response'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst();
  return { claimed: false, stored: stored && stored.status !== null ? { ...stored, status: stored.status } : undefined };
}

/** Records the answer to the claimed key, in the transaction that made the write. */
export async function saveIdempotentAnswer(tx: Tx, userId: string, key: string, status: number, response: unknown): Promise<void> {
  await tx
    .updateTable('idempotency_keys')
    .set({ status, response: JSON.stringify(response) })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
}

/**
 * Deletes up to `limit` expired records (oldest first, through the expires_at index), skipping rows
 * another transaction holds; returns how many went. Called beside each new claim, so the table's
 * clean-up is bounded work per write and keeps pace with what is added.
 */
export async function purgeExpiredIdempotencyKeys(tx: Tx, now: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from idempotency_keys where (user_id, key) in (
      select user_id, key from idempotency_keys where expires_at <= ${now} order by expires_at limit ${limit} for update skip locked)`.execute(tx);
  return Number(result.numAffectedRows ?? 0n);
}
