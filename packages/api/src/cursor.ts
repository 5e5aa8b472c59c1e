// Opaque keyset cursors: base64url JSON of the last row's sort key and id (and its creation time when
// ties are `newest`), plus a fingerprint of the filters, sort and tie order they were made for, so
// reusing one with other filters is an error rather than a silently wrong page. Clients must not
// build them.
import { createHash } from 'node:crypto';
import { MAX_TASK_ID, TASK_PRIORITIES, type ListPosition, type OrderShape, type SortValue, type TaskSort } from '@tasks/db';
import { CursorMismatch, InvalidCursor } from './errors.ts';

export type CursorPosition = ListPosition;

interface CursorJson {
  /** The sort key: epoch ms for timestamps (null: no due date), text for title/priority, a number for rank. */
  k: number | string | null;
  i: number;
  /** Creation time, epoch ms: present when ties are `newest`. */
  c?: number;
  /** Fingerprint of the filters and sort the cursor belongs to. */
  f: string;
}

// Most lists repeat a few filter sets (the default above all): their digests are kept, a few hundred at most.
const recentFingerprints = new Map<string, string>();

/** A short digest of a canonical description of the filters and sort (not the page size). */
export function fingerprint(canonical: unknown): string {
  const text = JSON.stringify(canonical);
  let digest = recentFingerprints.get(text);
  if (digest === undefined) {
    digest = createHash('sha256').update(text).digest('base64url').slice(0, 16);
    if (recentFingerprints.size >= 256) recentFingerprints.delete(recentFingerprints.keys().next().value as string);
    recentFingerprints.set(text, digest);
  }
  return digest;
}

export function encodeCursor(position: CursorPosition, listFingerprint: string): string {
  const k = position.key instanceof Date ? position.key.getTime() : position.key;
  const json: CursorJson = { k, i: position.id, f: listFingerprint };
  if (position.createdAt) json.c = position.createdAt.getTime();
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

const isEpochMs = (v: unknown): v is number => Number.isSafeInteger(v) && Math.abs(v as number) <= 8.64e15;

function parse(cursor: string): CursorJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidCursor();
  const { k, i, c, f } = parsed as Record<string, unknown>;
  if (!Number.isInteger(i) || (i as number) < 1 || (i as number) > MAX_TASK_ID) throw new InvalidCursor();
  if (typeof f !== 'string' || !(k === null || typeof k === 'string' || typeof k === 'number')) throw new InvalidCursor();
  if (c !== undefined && !isEpochMs(c)) throw new InvalidCursor();
  return { k, i: i as number, ...(c === undefined ? {} : { c }), f };
}

/** The key as the query needs it for `sort`, or InvalidCursor when it cannot belong to that sort. */
function keyFor(sort: TaskSort, k: CursorJson['k']): SortValue {
  switch (sort) {
    case 'createdAt':
    case 'updatedAt':
      if (isEpochMs(k)) return new Date(k);
      break;
    case 'dueAt':
      if (k === null) return null;
      if (isEpochMs(k)) return new Date(k);
      break;
    case 'priority':
      if ((TASK_PRIORITIES as readonly unknown[]).includes(k)) return k;
      break;
    case 'title':
      if (typeof k === 'string' && k.length <= 1_000 && !k.includes('\u0000') && k.isWellFormed()) return k;
      break;
    case 'rank':
      if (typeof k === 'number' && Number.isFinite(k) && k >= 0) return k;
      break;
  }
  throw new InvalidCursor();
}

/**
 * Reads a cursor made by encodeCursor for the same filters, sort and tie order.
 *
 * @example
 * decodeCursor(page.nextCursor, { sort: 'dueAt', ties: 'newest' }, fingerprint(canonicalFilters));
 * // → { key: Date | null, id, createdAt: Date }
 */
export function decodeCursor(cursor: string, shape: Pick<OrderShape, 'sort' | 'ties'>, listFingerprint: string): CursorPosition {
  const json = parse(cursor);
  if (json.f !== listFingerprint) throw new CursorMismatch();
  const position: CursorPosition = { key: keyFor(shape.sort, json.k), id: json.i };
  if (shape.ties === 'newest') {
    if (json.c === undefined) throw new InvalidCursor();
    position.createdAt = new Date(json.c);
  }
  return position;
}
