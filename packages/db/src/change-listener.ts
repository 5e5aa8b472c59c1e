// Wakes this instance's event streams when a transaction that changed tasks commits (the NOTIFY of
// migration 0008). PostgreSQL: one dedicated connection per instance, not a pooled one (a pooler in
// transaction mode cannot hold a LISTEN), reconnected with backoff; after every (re)connect all
// streams are woken, since notifications sent while it was down are gone. PGlite: its own listen API.
// Writes notify only while an instance is in `change_listeners` (migration 0009): an instance is
// there while it has streams open, through the functions at the end of this file.
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { DbHandle } from './create-db.ts';
import type { Database } from './schema.ts';

export const CHANGES_CHANNEL = 'task_changes';

export interface ChangeListenerOptions {
  /** A user whose tasks changed; null: any user's may have (after a gap, or an id too long to send). */
  onChange(userId: string | null): void;
  /** The listening connection failed; it reconnects by itself. */
  onError?(error: Error, retryInMs: number, attempt: number): void;
  /** Listening again after `failedAttempts` failures (only called after a failure). */
  onReconnect?(failedAttempts: number): void;
  /** The direct connection's URL (DATABASE_LISTEN_URL); defaults to the database's own. */
  url?: string | undefined;
  /** First and longest wait between reconnection attempts (ms). */
  backoffMs?: { first: number; max: number };
}

export interface ChangeListener {
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * @example
 * const listener = listenForTaskChanges(handle, { onChange: (userId) => streams.wake(userId) });
 * // LISTEN task_changes
 */
export function listenForTaskChanges(handle: DbHandle, options: ChangeListenerOptions): ChangeListener {
  const onPayload = (payload: string | undefined) => options.onChange(payload ? payload : null);
  if (handle.listen) {
    const unlisten = handle.listen(CHANGES_CHANNEL, onPayload);
    return { ready: unlisten.then(() => {}), close: async () => (await unlisten)() };
  }
  const url = options.url ?? handle.url;
  if (!url) throw new Error('listenForTaskChanges needs a database URL on PostgreSQL');
  return listenOnPostgres(url, options, onPayload);
}

function listenOnPostgres(url: string, options: ChangeListenerOptions, onPayload: (payload: string | undefined) => void): ChangeListener {
  const { first, max } = options.backoffMs ?? { first: 100, max: 10_000 };
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let attempt = 0;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const retry = (error: Error) => {
    client?.removeAllListeners();
    client?.on('error', () => {});
    void client?.end().catch(() => {});
    client = undefined;
    if (closed || timer) return;
    const delay = Math.min(first * 2 ** attempt, max) * (0.5 + Math.random() / 2);
    attempt++;
    options.onError?.(error, delay, attempt);
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url, application_name: 'tasks-api-listener', keepAlive: true });
    client = next;
    next.on('error', retry);
    next.on('end', () => retry(new Error('listening connection ended')));
    next.on('notification', (message) => onPayload(message.payload));
    try {
      await next.connect();
      await next.query(`listen ${CHANGES_CHANNEL}`);
    } catch (error) {
      if (client === next) retry(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (closed) return void next.end().catch(() => {});
    if (attempt > 0) options.onReconnect?.(attempt);
    attempt = 0;
    markReady();
    // Whatever was committed while no LISTEN was in place is read from the feed now.
    onPayload(undefined);
  }
  void connect();

  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      const current = client;
      client = undefined;
      current?.removeAllListeners();
      current?.on('error', () => {});
      await current?.end().catch(() => {});
    },
  };
}

/** How long a listening instance's row stays valid without a refresh. */
export const LISTENER_TTL_SECONDS = 90;

function upsertListener(db: Kysely<Database>, instanceId: string) {
  return sql`insert into change_listeners (instance_id, expires_at)
    values (${instanceId}, now() + make_interval(secs => ${LISTENER_TTL_SECONDS}))
    on conflict (instance_id) do update set expires_at = excluded.expires_at`.execute(db);
}

/**
 * Puts the instance in `change_listeners`, so that task writes notify from now on, and resolves to
 * the transactions that may have checked the table before the row was in: those holding a lock on
 * it (the writers' check keeps ACCESS SHARE until they end). Their changes can commit after a
 * stream's start without a notification: wait for them with `stillOpen`, then read the feed.
 *
 * @example
 * const earlier = await registerListeningInstance(db, 'b7c1…');
 * // insert into change_listeners (instance_id, expires_at) values ($1, now() + …) on conflict (instance_id) do update …
 * // select distinct virtualtransaction from pg_locks where relation = 'change_listeners'::regclass and … pid is distinct from pg_backend_pid()
 */
export async function registerListeningInstance(db: Kysely<Database>, instanceId: string): Promise<string[]> {
  await upsertListener(db, instanceId);
  const { rows } = await sql<{ vxid: string }>`select distinct virtualtransaction as vxid from pg_locks
    where locktype = 'relation' and relation = 'change_listeners'::regclass
      and database = (select oid from pg_database where datname = current_database())
      -- A prepared transaction holds its locks with no pid.
      and pid is distinct from pg_backend_pid()`.execute(db);
  return rows.map((row) => row.vxid);
}

/** Which of these transactions (virtual ids, from registerListeningInstance) are still running. */
export async function stillOpen(db: Kysely<Database>, transactions: string[]): Promise<string[]> {
  if (transactions.length === 0) return [];
  // Every transaction holds the lock on its own virtual id until it ends.
  const { rows } = await sql<{ vxid: string }>`select distinct virtualtransaction as vxid from pg_locks
    where virtualtransaction = any(${transactions}::text[])`.execute(db);
  return rows.map((row) => row.vxid);
}

/**
 * Extends the instance's row, and deletes rows that expired (instances that stopped without saying
 * so); false when the row had lapsed (expired, or deleted as such): writes since did not notify.
 */
export async function refreshListeningInstance(db: Kysely<Database>, instanceId: string): Promise<boolean> {
  const result = await db
    .updateTable('change_listeners')
    .set({ expires_at: sql<Date>`now() + make_interval(secs => ${LISTENER_TTL_SECONDS})` })
    .where('instance_id', '=', instanceId)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  await db.deleteFrom('change_listeners').where('expires_at', '<', sql<Date>`now()`).execute();
  return result.numUpdatedRows > 0n;
}

/** Takes the instance out of `change_listeners`: writes stop notifying once no instance is left. */
export async function unregisterListeningInstance(db: Kysely<Database>, instanceId: string): Promise<void> {
  await db.deleteFrom('change_listeners').where('instance_id', '=', instanceId).execute();
}
