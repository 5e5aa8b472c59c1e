// The pool's client class. Kysely runs every statement as `client.query(sql, parameters)`, pg's
// promise form, which builds the Query first and attaches its completion callback afterwards. Under
// load that form kept every result read since the previous young-generation collection alive through
// it, so each page of rows was promoted to the old generation and the full collections that cleared
// them were the list route's latency tail (bench/README.md, "Promotion"); the same statements through
// pg's callback form (the callback given to the Query as it is built, as `pool.query` does) promote
// nothing. The cause lies inside V8 and was not pinned down; this measured difference is what the
// class relies on, and `pg-client.test.ts` holds the behaviour to pg's own.
import pg from 'pg';

type QueryCallback = (error: Error | null, result: pg.QueryResult) => void;
type QueryFunction = (this: pg.Client, text: unknown, values?: unknown, callback?: QueryCallback) => unknown;

const pgQuery = pg.Client.prototype.query as unknown as QueryFunction;

/** `query(text, values?)` answered through pg's callback form; every other form is pg's own. */
function query(this: pg.Client, ...args: Parameters<QueryFunction>): unknown {
  const [text, values, callback] = args;
  if (typeof text !== 'string' || callback !== undefined || (values !== undefined && !Array.isArray(values))) {
    return pgQuery.apply(this, args);
  }
  return new Promise<pg.QueryResult>((resolve, reject) => {
    pgQuery.call(this, text, values, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export class CallbackQueryClient extends pg.Client {}
// Assigned rather than declared in the class body: pg's typings give `query` a dozen overloads.
CallbackQueryClient.prototype.query = query as unknown as pg.Client['query'];
