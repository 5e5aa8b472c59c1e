// Wakes this instance's event streams when a transaction that changed tasks commits (the NOTIFY of
// migration 0008). PostgreSQL: one dedicated connection per instance, not a pooled one (a pooler in
// transaction mode cannot hold a LISTEN), reconnected with backoff; after every (re)connect all
// streams are woken, since notifications sent while it was down are gone. PGlite: its own listen API.
import pg from 'pg';
import type { DbHandle } from './create-db.ts';

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
