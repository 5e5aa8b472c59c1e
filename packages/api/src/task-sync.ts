// The changes feed and the live event streams over it: both read the same feed from a sync token,
// so an event id resumes exactly where a changes page would.
import * as queries from '@tasks/db';
import type { Database } from '@tasks/db';
import type { Kysely } from 'kysely';
import type { ChangeStreams, StreamLease } from './change-streams.ts';
import { InvalidSyncToken, ServiceUnavailable } from './errors.ts';
import type { TaskChange } from './sync-schemas.ts';
import { decodeSyncToken, encodeChangesToken, encodeFullSyncToken } from './sync-token.ts';

export interface SyncSettings {
  /** How long changes (tombstones) are kept; an older token is 410 (`CHANGES_RETENTION_DAYS`). */
  retentionDays: number;
  /** Milliseconds since the epoch; injected by tests to age tokens without waiting. */
  now: () => number;
  /** This instance's open streams; absent: `tasks.onChange` is not served. */
  streams?: ChangeStreams | undefined;
  /**
   * Makes sure commits of task changes notify this instance before a stream fixes its start
   * (writes notify only while some instance listens); absent: nothing to do.
   */
  announce?: (() => Promise<void>) | undefined;
}

export const DEFAULT_SYNC: SyncSettings = { retentionDays: 30, now: Date.now };

export interface ChangesPage {
  changes: TaskChange[];
  nextToken: string;
  hasMore: boolean;
  reset: boolean;
}

function asChange(entry: queries.FeedEntry): TaskChange {
  return entry.deleted ? { id: entry.id, deleted: true, deletedAt: entry.deletedAt } : entry.task;
}

/** A token's age is that of the oldest change it may still need: no later than now, no later than the change. */
function entryToken(entry: queries.FeedEntry, now: number): string {
  return encodeChangesToken(entry.position, Math.min(now, entry.changedAt.getTime()));
}

/** One page of the feed after `since`, or of a full sync when there is none. */
export async function readChangesPage(db: Kysely<Database>, userId: string, sync: SyncSettings, since: string | undefined, limit: number): Promise<ChangesPage> {
  const now = sync.now();
  if (since === undefined) {
    const { tasks, from } = await queries.startFullSync(db, userId, limit + 1);
    return fullSyncPage(tasks, from, limit, now, true);
  }
  const place = decodeSyncToken(since, now, sync.retentionDays);
  if (place.kind === 'full') {
    const tasks = await queries.listTasksById(db, userId, place.afterId, limit + 1);
    return fullSyncPage(tasks, place.from, limit, place.at, false);
  }
  const read = await queries.readTaskChanges(db, userId, place.position, limit);
  const last = read.entries[read.entries.length - 1];
  return {
    changes: read.entries.map(asChange),
    nextToken: read.hasMore && last ? entryToken(last, now) : encodeChangesToken(read.next, now),
    hasMore: read.hasMore,
    reset: false,
  };
}

// Later pages show tasks as they are then; the changes from `from` on replay whatever moved meanwhile.
function fullSyncPage(tasks: queries.TaskRecord[], from: queries.ChangePosition, limit: number, at: number, reset: boolean): ChangesPage {
  const page = tasks.slice(0, limit);
  const hasMore = tasks.length > limit;
  const last = page[page.length - 1];
  return {
    changes: page,
    nextToken: hasMore && last ? encodeFullSyncToken(last.id, from, at) : encodeChangesToken(from, at),
    hasMore,
    reset,
  };
}

export interface TaskEvent {
  /** The event's id: a sync token just past this change. */
  token: string;
  change: TaskChange;
}

export interface StreamOptions {
  db: Kysely<Database>;
  userId: string;
  sync: SyncSettings;
  /** Where the stream starts, fixed by `streamStart` before the stream is answered. */
  from: queries.ChangePosition;
  signal?: AbortSignal | undefined;
}

/** Checks a resumption token before a stream starts, so a bad one is a 400/410 and not a broken stream. */
function checkStreamToken(lastEventId: string | null | undefined, sync: SyncSettings): queries.ChangePosition | undefined {
  if (!lastEventId) return undefined;
  const place = decodeSyncToken(lastEventId, sync.now(), sync.retentionDays);
  // A full sync's page token names no feed position a stream could resume from.
  if (place.kind === 'full') throw new InvalidSyncToken();
  return place.position;
}

/**
 * Where a stream starts: after `lastEventId`, or now. Fixed before the stream is answered, so a
 * change its client makes after seeing the stream open is always in it.
 */
export async function streamStart(db: Kysely<Database>, lastEventId: string | null | undefined, sync: SyncSettings): Promise<queries.ChangePosition> {
  const after = checkStreamToken(lastEventId, sync);
  // Before the start is fixed: a change after the start must notify this instance.
  await sync.announce?.();
  return after ?? (await queries.currentChangePosition(db));
}

const STREAM_PAGE = 500;

/**
 * The user's changes as they commit, after `from`, until aborted or the instance
 * closes. Takes the stream's seat first and always gives it back.
 */
export async function* streamTaskChanges(options: StreamOptions, lease?: StreamLease): AsyncGenerator<TaskEvent, void> {
  const { db, userId, sync, signal } = options;
  const seat = lease ?? seatFor(sync.streams, userId);
  try {
    let position = options.from;
    // Backs off while changes wait behind a transaction still open (no notification will come for them).
    let heldBackDelay = 10;
    while (await seat.wait(signal, heldBackDelay > 10 ? heldBackDelay : undefined)) {
      for (;;) {
        const read = await queries.readTaskChanges(db, userId, position, STREAM_PAGE);
        const now = sync.now();
        for (const entry of read.entries) yield { token: entryToken(entry, now), change: asChange(entry) };
        position = read.next;
        if (read.hasMore) continue;
        heldBackDelay = read.heldBack ? Math.min(heldBackDelay * 2, 160) : 10;
        break;
      }
    }
    // Ended by the instance closing: an error the client's link retries, reconnecting elsewhere.
    if (seat.closing) throw new ServiceUnavailable('This instance is shutting down; reconnect', undefined, 1);
  } finally {
    seat.release();
  }
}

function seatFor(streams: ChangeStreams | undefined, userId: string): StreamLease {
  if (!streams) throw new ServiceUnavailable('Live events are not served here');
  return streams.acquire(userId);
}
