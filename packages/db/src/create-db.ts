import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { kyselyPool, statementName } from './pg-client.ts';
import { runByName, type NotificationSink } from './pglite-statements.ts';
import { sqlOperation, type StatementHook } from './statement-observer.ts';
import { pgTypes } from './timestamp-parser.ts';

export interface DbConfig {
  /** `postgres://…` selects PostgreSQL through `pg`; absent selects embedded PGlite. */
  url?: string | undefined;
  /** Where PGlite keeps its files; `memory` keeps nothing. */
  dataDir?: string | undefined;
  poolMax?: number | undefined;
  /** How long to wait for a pooled connection before failing (ms). */
  connectionTimeoutMs?: number | undefined;
  /** Server-side `statement_timeout` for every pooled connection (ms); 0 turns it off. */
  statementTimeoutMs?: number | undefined;
  /**
   * Named prepared statements on PostgreSQL (default true); false for a pooler in transaction mode
   * that cannot carry them (PgBouncer before 1.21, or max_prepared_statements = 0).
   */
  preparedStatements?: boolean | undefined;
  /** Called with errors of idle pooled clients (a dropped connection), which would otherwise crash the process. */
  onPoolError?: ((error: Error) => void) | undefined;
}

export interface DbHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** The pg pool, for health checks and metrics; absent on PGlite. */
  pool?: pg.Pool;
  /** Set `statements.observer` to watch every statement (metrics, tracing). */
  statements: StatementHook;
  /** PostgreSQL's URL, for a connection of its own (the change listener); absent on PGlite. */
  url?: string | undefined;
  /** PGlite's LISTEN (one in-process database: its notifications reach this process only); absent on PostgreSQL. */
  listen?: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;
}

/**
 * Opens the database the configuration names.
 *
 * @example
 * const { db } = createDb({ url: process.env.DATABASE_URL, poolMax: 10 });
 * const { db: embedded } = createDb({ dataDir: 'memory' });
 */
export function createDb(config: DbConfig): DbHandle {
  if (config.url) return createPostgresDb(config.url, config);
  return createPgliteDb(config.dataDir ?? '.data/pglite');
}

function createPostgresDb(url: string, config: DbConfig): DbHandle {
  const statementTimeout = config.statementTimeoutMs ?? 10_000;
  const options: pg.PoolConfig = {
    connectionString: url,
    max: config.poolMax ?? 10,
    connectionTimeoutMillis: config.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    // Managed services (Neon, RDS proxies) drop long-lived connections; recycle before they do.
    maxLifetimeSeconds: 3_600,
    ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
    application_name: 'tasks-api',
    types: pgTypes,
  };
  const pool = new pg.Pool(options);
  const onError = (error: Error) => config.onPoolError?.(error);
  pool.on('error', onError);
  // A client that loses its socket while checked out emits 'error' besides failing its query; with
  // no listener that would crash the process during a database outage.
  pool.on('connect', (client) => client.on('error', onError));
  const statements: StatementHook = { observer: undefined };
  const dialect = new PostgresDialect({ pool: kyselyPool(pool, { preparedStatements: config.preparedStatements ?? true, statements }) });
  return { db: new Kysely<Database>({ dialect }), kind: 'postgres', pool, statements, url };
}

/**
 * PostgreSQL's defaults are sized for a server of its own; embedded, they are this process's memory
 * (shared buffers and WAL live in its WebAssembly heap, and with `memory` the WAL files too). On the
 * bench data (200,000 tasks) 16 MB of buffers cost no measurable CPU per query against 128 MB (the
 * data files stay in the OS page cache) and RSS dropped 387 → 247 MB (bench/README.md, issue #19).
 * The single backend runs checkpoints inline: with these, one comes after at most 64 MB of WAL and
 * writes at most 16 MB of buffers (not measured in isolation on this noisy machine).
 */
const PGLITE_SETTINGS = [
  'shared_buffers=16MB',
  'wal_buffers=1MB',
  'min_wal_size=32MB',
  'max_wal_size=64MB',
  'maintenance_work_mem=16MB',
  'max_connections=4',
];
const pgliteOptions = { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ['-c', setting])] };

/** Whether initdb has run in `dataDir` (`memory` is made afresh at every start). */
export function pgliteDataDirReady(dataDir: string): boolean {
  return dataDir !== 'memory' && existsSync(join(dataDir, 'PG_VERSION'));
}

/**
 * Runs initdb in an empty or missing `dataDir` and closes the database; nothing where one is already.
 * A process that means to stay small runs this in a short-lived child process first (apps/server's
 * main.ts does): initdb leaves the process that ran it hundreds of MB larger for good.
 */
export async function initPgliteDataDir(dataDir: string): Promise<void> {
  if (dataDir === 'memory' || pgliteDataDirReady(dataDir)) return;
  mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, pgliteOptions);
  await pglite.close();
}

function createPgliteDb(dataDir: string): DbHandle {
  const statements: StatementHook = { observer: undefined };
  let instance: { pglite: PGlite; channels: PgliteChannels } | undefined;
  const open = () => {
    if (instance) return instance;
    if (dataDir !== 'memory') mkdirSync(dataDir, { recursive: true });
    const pglite = dataDir === 'memory' ? new PGlite(pgliteOptions) : new PGlite(dataDir, pgliteOptions);
    const channels = pgliteChannels(pglite);
    return (instance = { pglite: observed(pglite, statements, channels.deliver), channels });
  };
  return {
    db: new Kysely<Database>({ dialect: new PGliteDialect({ pglite: () => open().pglite }) }),
    kind: 'pglite',
    statements,
    listen: (channel, onPayload) => open().channels.listen(channel, onPayload),
  };
}

interface PgliteChannels {
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  deliver: NotificationSink;
}

/**
 * LISTEN on PGlite, whichever parser read the notification: PGlite's own (COMMIT, statements without
 * parameters) reports it through `onNotification`, runByName's through `deliver`. PGlite's `listen`
 * hears only the first kind.
 */
function pgliteChannels(pglite: PGlite): PgliteChannels {
  const listeners = new Map<string, Set<(payload: string) => void>>();
  // Each channel's LISTEN, so that a second listener waits for it as the first does.
  const listening = new Map<string, Promise<unknown>>();
  const deliver = (channel: string, payload: string) => {
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  };
  pglite.onNotification((channel, payload) => deliver(channel, payload));
  const identifier = (channel: string) => `"${channel.replaceAll('"', '""')}"`;
  return {
    deliver,
    async listen(channel, onPayload) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(onPayload);
      if (!listening.has(channel)) listening.set(channel, pglite.exec(`LISTEN ${identifier(channel)}`));
      try {
        await listening.get(channel);
      } catch (error) {
        set.delete(onPayload);
        if (set.size === 0) listening.delete(channel);
        throw error;
      }
      return async () => {
        if (!set.delete(onPayload) || set.size > 0) return;
        listening.delete(channel);
        await pglite.exec(`UNLISTEN ${identifier(channel)}`);
      };
    },
  };
}

// Statements are named as pg-client names them, so one metric series means one statement on either
// driver. Kysely sends through `query` of the instance, or of the transaction object PGlite hands its
// `transaction` callback.
function observed(pglite: PGlite, hook: StatementHook, notify: NotificationSink): PGlite {
  observeQuery(runByName(pglite, pglite, false, notify), hook);
  takeTurns(pglite);
  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = ((callback: (tx: Parameters<Parameters<PGlite['transaction']>[0]>[0]) => Promise<unknown>) =>
    transaction((tx) => callback(observeQuery(runByName(pglite, tx, true, notify), hook)))) as PGlite['transaction'];
  return pglite;
}

function observeQuery<T extends Pick<PGlite, 'query'>>(target: T, hook: StatementHook): T {
  const query = target.query.bind(target);
  target.query = (async (text: string, ...rest: unknown[]) => {
    const settled = hook.observer?.start(statementName(text) ?? 'unnamed', sqlOperation(text));
    if (!settled) return query(text, ...(rest as []));
    try {
      const result = await query(text, ...(rest as []));
      settled(undefined);
      return result;
    } catch (error) {
      settled(error);
      throw error;
    }
  }) as T['query'];
  return target;
}

/**
 * PGlite runs each statement synchronously on the event loop, and its queue hands the next statement
 * over in a microtask: under load whole rounds of queued statements ran back to back, and a new
 * connection's accept and first request waited behind them (up to 1.4 s at 50 connections, while
 * the other requests' p99 was 113 ms). Statements outside a transaction now take turns with one
 * event-loop turn between them, so sockets are read in between. A transaction's own statements
 * (on its `tx`) are not queued here: the transaction holds PGlite's lock, and they must not wait
 * behind statements that wait for it.
 */
const YIELD_EVERY_MS = 1;

function takeTurns(pglite: PGlite): void {
  const query = pglite.query.bind(pglite);
  let tail: Promise<unknown> = Promise.resolve();
  let yielded = performance.now();
  // A turn of the event loop costs throughput (about 10 % with one before every statement): one
  // after each few milliseconds of statements bounds the wait just as well.
  const turn = () => {
    if (performance.now() - yielded < YIELD_EVERY_MS) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        yielded = performance.now();
        resolve();
      }),
    );
  };
  pglite.query = ((...args: Parameters<PGlite['query']>) => {
    const result = tail.then(turn).then(() => query(...args));
    tail = result.catch(() => undefined);
    return result;
  }) as PGlite['query'];
}
