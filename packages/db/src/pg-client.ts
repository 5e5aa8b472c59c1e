// The pg pool as Kysely sees it (Kysely's `PostgresPool`). Kysely sends every statement as
// `client.query(sql, parameters)`; this wrapper sends it as a named prepared statement, and through
// pg's callback form rather than its promise form. Both were measured: bench/README.md,
// "Prepared statements" and "Promotion".
import { createHash } from 'node:crypto';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';
import { sqlOperation, type StatementHook } from './statement-observer.ts';

export interface KyselyPoolOptions {
  /** Name each parameterized statement so the server parses and plans it once per connection. */
  preparedStatements: boolean;
  /** Where metrics and tracing attach to watch statements (nothing is measured while it is empty). */
  statements?: StatementHook | undefined;
}

// A statement's name is a digest of its text, so a name is never reused for different SQL (pg refuses
// that). Queries come from a small fixed set of shapes; the bound only caps what each connection
// keeps prepared on the server should that change. Statements past it run unnamed.
export const MAX_NAMED_STATEMENTS = 200;
const statementNames = new Map<string, string>();

export function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `tasks_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Wraps a pg pool for `new PostgresDialect({ pool })`. The pg pool itself is left as it is, so its
 * own `query` (health checks, scripts) keeps pg's behaviour.
 *
 * @example
 * const pool = new pg.Pool({ connectionString });
 * const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPool(pool, { preparedStatements: true }) }) });
 * await db.selectFrom('tasks').selectAll().where('id', '=', 7).execute();
 * // Parse "tasks_<sha256 of the text>" once per connection, then only Bind/Execute
 */
export function kyselyPool(pool: pg.Pool, options: KyselyPoolOptions): PostgresPool {
  // Kysely keeps each connection's state in a WeakMap keyed by the client object it is handed,
  // so every checkout of one pg client must hand it the same wrapper.
  const wrappers = new WeakMap<pg.PoolClient, StatementClient>();
  return {
    options: pool.options,
    // What Kysely connects with, outside the pool, to cancel a running query.
    Client: pg.Client,
    async connect() {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        options.statements?.observer?.connectFailed?.(error);
        throw error;
      }
      let wrapper = wrappers.get(client);
      if (!wrapper) wrappers.set(client, (wrapper = new StatementClient(client, options.preparedStatements, options.statements)));
      return wrapper;
    },
    end: () => pool.end(),
  };
}

type QueryCallback = (error: Error | null, result: pg.QueryResult) => void;

class StatementClient implements PostgresPoolClient {
  readonly #client: pg.PoolClient;
  readonly #named: boolean;
  readonly #hook: StatementHook | undefined;

  constructor(client: pg.PoolClient, named: boolean, hook: StatementHook | undefined) {
    this.#client = client;
    this.#named = named;
    this.#hook = hook;
  }

  release(destroy?: boolean): void {
    this.#client.release(destroy);
  }

  // The signatures are Kysely's. pg's result is a superset of Kysely's result type, except that its
  // `command` is any tag (CREATE, SET, …) where Kysely's lists the ones it acts on; Kysely reads
  // any other as a plain result, so pg's result object goes back unchanged.
  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query(
    sql: string | PostgresCursor<unknown>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<pg.QueryResult | PostgresQueryResult<unknown>> | PostgresCursor<unknown> {
    // Kysely streams through a cursor only when its dialect config names a cursor class; ours names none.
    if (typeof sql !== 'string') throw new Error('streaming is not configured for this pool');
    // Without parameters pg sends a simple query (no Parse): BEGIN, COMMIT, migrations' DDL.
    const name = this.#named && parameters.length > 0 ? statementName(sql) : undefined;
    const observer = this.#hook?.observer;
    const settled = observer?.start(name ?? statementName(sql) ?? 'unnamed', sqlOperation(sql));
    return new Promise<pg.QueryResult>((resolve, reject) => {
      const done: QueryCallback = settled
        ? (error, result) => {
            settled(error ?? undefined);
            if (error) reject(error);
            else resolve(result);
          }
        : (error, result) => (error ? reject(error) : resolve(result));
      // The callback goes in as pg builds its Query: pg's promise form attaches it afterwards,
      // which kept results alive into the old generation (bench/README.md, "Promotion").
      this.#client.query({ name, text: sql, values: [...parameters] }, done);
    });
  }
}
