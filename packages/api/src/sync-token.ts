// Sync tokens: base64url JSON of a feed position (xid8, seq) or a full sync's place, and the time the
// position was reached, so a token past the retention is known without looking anything up.
import type { ChangePosition } from '@tasks/db';
import { z } from 'zod';
import { InvalidSyncToken, SyncTokenExpired } from './errors.ts';

const digits = z.string().regex(/^\d{1,20}$/);

const TokenBody = z.union([
  z.object({ v: z.literal(1), x: digits, s: digits, t: z.number().int().nonnegative() }).strict(),
  // A full sync under way: the next page starts after task `f`; its changes continue from (x, 0).
  z.object({ v: z.literal(1), f: z.number().int().nonnegative(), x: digits, t: z.number().int().nonnegative() }).strict(),
]);

export type SyncPlace = { kind: 'changes'; position: ChangePosition; at: number } | { kind: 'full'; afterId: number; from: ChangePosition; at: number };

export function encodeChangesToken(position: ChangePosition, at: number): string {
  return Buffer.from(JSON.stringify({ v: 1, x: position.xid, s: position.seq, t: Math.floor(at) })).toString('base64url');
}

export function encodeFullSyncToken(afterId: number, from: ChangePosition, at: number): string {
  return Buffer.from(JSON.stringify({ v: 1, f: afterId, x: from.xid, t: Math.floor(at) })).toString('base64url');
}

/** The place a token names; throws InvalidSyncToken for anything else, SyncTokenExpired past the retention. */
export function decodeSyncToken(token: string, now: number, retentionDays: number): SyncPlace {
  let body: z.infer<typeof TokenBody>;
  try {
    body = TokenBody.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidSyncToken();
  }
  if (now - body.t > retentionDays * 86_400_000) throw new SyncTokenExpired(retentionDays);
  if ('f' in body) return { kind: 'full', afterId: body.f, from: { xid: body.x, seq: '0' }, at: body.t };
  return { kind: 'changes', position: { xid: body.x, seq: body.s }, at: body.t };
}
