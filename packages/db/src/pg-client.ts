// The pool's client class. Kysely runs every statement as `client.query(sql, parameters)`; this class
// changes two things about how pg then sends it, both measured (bench/README.md, "Promotion" and
// "Prepared statements"):
//
// - Named prepared statements. Each distinct SQL text with parameters gets a name, so each
//   connection parses and plans it once and afterwards sends only Bind/Execute: under the bench's mix
//   3,246 → 4,583 req/s at 10 connections, list 3,891 → 4,278. Poolers that cannot carry prepared
//   statements across transactions (PgBouncer before 1.21, or with max_prepared_statements = 0) need
//   `preparedStatements: false` (DATABASE_PREPARED_STATEMENTS=false).
// - pg's callback form. pg's promise form builds the Query first and attaches its completion callback
//   afterwards, and under load that kept every result read since the previous young-generation
//   collection alive: each page of rows was promoted to the old generation, and the full collections
//   that cleared them were the list route's latency tail (list p99 25 → 12 ms). The same statements
//   with the callback given as the Query is built, as `pool.query` does, promote nothing. Why was not
//   pinned down (the bisection is in the README); `pg-client.test.ts` holds the answers to pg's own.
import { createHash } from 'node:crypto';
import pg from 'pg';

type QueryCallback = (error: Error | null, result: pg.QueryResult) => void;
type QueryFunction = (this: pg.Client, text: unknown, values?: unknown, callback?: QueryCallback) => unknown;

export interface ClientConfig extends pg.ClientConfig {
  /** Name each parameterized statement so the server parses and plans it once per connection (default true). */
  preparedStatements?: boolean;
}

// A statement's name is a digest of its text, so a name is never reused for different SQL (pg refuses
// that). Queries come from a small fixed set of shapes; the bound only caps what each connection
// keeps prepared on the server should that change. Statements past it run unnamed.
export const MAX_NAMED_STATEMENTS = 200;
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `tasks_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}

const pgQuery = pg.Client.prototype.query as unknown as QueryFunction;

export class TasksClient extends pg.Client {
  readonly preparedStatements: boolean;

  constructor(config?: string | ClientConfig) {
    super(config);
    this.preparedStatements = typeof config === 'string' || config?.preparedStatements !== false;
  }
}

/** `query(text, values?)` as a named statement through pg's callback form; every other form is pg's own. */
function query(this: TasksClient, ...args: Parameters<QueryFunction>): unknown {
  const [text, values, callback] = args;
  if (typeof text !== 'string' || callback !== undefined || (values !== undefined && !Array.isArray(values))) {
    return pgQuery.apply(this, args);
  }
  // Without parameters pg sends a simple query (no Parse): BEGIN, COMMIT, migrations' DDL.
  const name = this.preparedStatements && values?.length ? statementName(text) : undefined;
  return new Promise<pg.QueryResult>((resolve, reject) => {
    const done: QueryCallback = (error, result) => (error ? reject(error) : resolve(result));
    if (name) pgQuery.call(this, { name, text, values }, undefined, done);
    else pgQuery.call(this, text, values, done);
  });
}

// Assigned rather than declared in the class body: pg's typings give `query` a dozen overloads.
TasksClient.prototype.query = query as unknown as pg.Client['query'];
