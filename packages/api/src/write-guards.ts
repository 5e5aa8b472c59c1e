// Idempotency-Key and expected versions around the task writes: a write with a key runs in one
// transaction with its key's record (claimed first, answer stored last), so the answer is kept
// exactly when the write commits; a retry with the same key and payload gets that answer back.
import { createHash } from 'node:crypto';
import * as queries from '@tasks/db';
import { TRPCError } from '@trpc/server';
import superjson from 'superjson';
import type { Context, IdempotencySettings } from './context.ts';
import { IdempotencyKeyInFlight, IdempotencyKeyReused, TaskNotFound, VersionConflict } from './errors.ts';

type WriteContext = Context & { userId: string };

export const DEFAULT_IDEMPOTENCY: IdempotencySettings = { ttlSeconds: 86_400, inFlightWaitMs: 2_000, now: () => new Date() };

/** Expired records deleted beside each new one: more than one, so a backlog drains. */
const PURGE_PER_WRITE = 10;

/** JSON with object keys sorted at every level, so two spellings of one payload hash alike. */
function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The draft's request fingerprint: the operation (a procedure, whichever surface called it) and its parsed input. */
export function requestFingerprint(operation: string, input: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(canonicalJson(input)).digest('base64url');
}

/**
 * Runs a write under the request's Idempotency-Key when it has one (in a transaction), otherwise as
 * it is (`transaction: true` still gives it one, for a write of several statements).
 */
export async function guardedWrite<T>(
  ctx: WriteContext,
  operation: string,
  input: unknown,
  write: (db: queries.Db) => Promise<T>,
  options: { transaction?: boolean } = {},
): Promise<T> {
  const key = ctx.idempotencyKey;
  if (key instanceof TRPCError) throw key;
  if (key === undefined) return options.transaction ? ctx.db.transaction().execute(write) : write(ctx.db);
  const settings = ctx.idempotency ?? DEFAULT_IDEMPOTENCY;
  const now = settings.now();
  const fingerprint = requestFingerprint(operation, input);
  const expiresAt = new Date(now.getTime() + settings.ttlSeconds * 1000);
  return ctx.db.transaction().execute(async (tx) => {
    const claim = await queries
      .claimIdempotencyKey(tx, { userId: ctx.userId, key, fingerprint, now, expiresAt, waitMs: settings.inFlightWaitMs })
      .catch((error: unknown) => {
        // lock_timeout: the first request with this key is still running.
        if ((error as { code?: unknown } | null)?.code === '55P03') throw new IdempotencyKeyInFlight();
        throw error;
      });
    if (!claim.claimed) {
      if (!claim.stored) throw new IdempotencyKeyInFlight();
      if (claim.stored.fingerprint !== fingerprint) throw new IdempotencyKeyReused();
      return superjson.deserialize<T>(claim.stored.response as Parameters<typeof superjson.deserialize>[0]);
    }
    await queries.purgeExpiredIdempotencyKeys(tx, now, PURGE_PER_WRITE);
    const result = await write(tx);
    await queries.saveIdempotentAnswer(tx, ctx.userId, key, ctx.successStatus ?? 200, superjson.serialize(result));
    return result;
  });
}

/** The versions a write may apply at: the input's `expectedVersion` (tRPC), else the REST layer's If-Match. */
export function expectedVersions(ctx: Context, expectedVersion: number | undefined): { versions: number[]; code: 'CONFLICT' | 'PRECONDITION_FAILED' } | undefined {
  if (expectedVersion !== undefined) return { versions: [expectedVersion], code: 'CONFLICT' };
  if (ctx.ifMatch !== undefined) return { versions: ctx.ifMatch, code: 'PRECONDITION_FAILED' };
  return undefined;
}

/**
 * Why a conditional write changed nothing: the task is gone (NOT_FOUND) or at another version
 * (VersionConflict with the task as it is now).
 */
export async function missedWrite(db: queries.Db, userId: string, id: number, expected: ReturnType<typeof expectedVersions>): Promise<never> {
  const current = expected ? await queries.getTask(db, userId, id) : undefined;
  if (current && expected) throw new VersionConflict(current, expected.code);
  throw new TaskNotFound();
}
