import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { kyselyPool } from './pg-client.ts';
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
  const dialect = new PostgresDialect({ pool: kyselyPool(pool, { preparedStatements: config.preparedStatements ?? true }) });
  return { db: new Kysely<Database>({ dialect }), kind: 'postgres', pool, url };
}

function createPgliteDb(dataDir: string): DbHandle {
  let instance: PGlite | undefined;
  const pglite = () => {
    if (instance) return instance;
    if (dataDir === 'memory') return (instance = new PGlite());
    mkdirSync(dataDir, { recursive: true });
    return (instance = new PGlite(dataDir));
  };
  return {
    db: new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) }),
    kind: 'pglite',
    listen: (channel, onPayload) => pglite().listen(channel, onPayload),
  };
}
