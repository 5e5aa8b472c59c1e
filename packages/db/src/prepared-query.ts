// Fixed-shape queries built and compiled once, then reused with each call's values. Kysely builds an
// immutable tree and compiles it to SQL on every call; on the hot path (list, get, create, complete)
// that was a visible share of a request's CPU (bench/README.md, "Profile").
import type { Compilable, CompiledQuery, Kysely, QueryResult, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

const MAX_SHAPES = 2_000;

/** Where each compiled parameter comes from: the index of a call argument, or a constant of the query. */
type Slot = { arg: number } | { value: unknown };

interface Prepared {
  compiled: CompiledQuery;
  slots: Slot[];
}

/**
 * Wraps a query builder that may branch on `shape` but never on the values. The builder runs once per
 * shape and dialect, with placeholder objects as values; the compiled parameters that are those
 * placeholders are swapped for the call's values on every later call.
 *
 * @example
 * const byId = preparedQuery((db, _shape, userId: string, id: number) =>
 *   db.selectFrom('tasks').select(['id']).where('user_id', '=', userId).where('id', '=', id));
 * await byId(db, '', 'u1', 7); // select "id" from "tasks" where "user_id" = $1 and "id" = $2
 */
export function preparedQuery<A extends unknown[], R>(build: (db: Db, shape: string, ...args: A) => Compilable<R>) {
  // Keyed by the dialect's adapter: a transaction shares its database's, and each dialect compiles alike.
  const cache = new WeakMap<object, Map<string, Prepared>>();
  return (db: Db, shape: string, ...args: A): Promise<QueryResult<R>> => {
    const adapter = db.getExecutor().adapter;
    let shapes = cache.get(adapter);
    if (!shapes) cache.set(adapter, (shapes = new Map()));
    let prepared = shapes.get(shape);
    if (!prepared) {
      const placeholders = args.map(() => ({}));
      const compiled = build(db, shape, ...(placeholders as A)).compile();
      const slots = compiled.parameters.map((value): Slot => {
        const arg = placeholders.indexOf(value as object);
        return arg >= 0 ? { arg } : { value };
      });
      prepared = { compiled, slots };
      // Shapes come from a small fixed set of branches; the cap only bounds memory should that change.
      if (shapes.size < MAX_SHAPES) shapes.set(shape, prepared);
    }
    const parameters = prepared.slots.map((slot) => ('arg' in slot ? args[slot.arg] : slot.value));
    return db.executeQuery<R>({ ...prepared.compiled, parameters } as CompiledQuery<R>);
  };
}
