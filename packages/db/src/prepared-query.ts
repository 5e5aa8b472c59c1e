// Fixed-shape queries built and compiled once, then reused with each call's values. Kysely builds an
// immutable tree and compiles it to SQL on every call; on the hot path (list, get, create, complete)
// that was a visible share of a request's CPU (bench/README.md, "Profile").
import {
  sql,
  ValueNode,
  type Compilable,
  type CompiledQuery,
  type Expression,
  type Kysely,
  type OperationNode,
  type QueryResult,
  type Transaction,
} from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A shape field decides the SQL text (a sort, an order, a mode), so shapes are compared by value. */
type ShapeField = string | number | boolean | null | undefined;

/**
 * The call's values as a builder sees them: expressions it can place in the query but never read,
 * so the SQL cannot depend on them. A value left `undefined` is absent: its binding is too.
 */
export type Bindings<V> = { [K in keyof V]: Expression<Exclude<V[K], undefined>> };

/** Stands for one value on the first build; its position in the compiled parameters is the value's slot. */
class Parameter implements Expression<never> {
  get expressionType(): undefined {
    return undefined;
  }

  toOperationNode(): OperationNode {
    return ValueNode.create(this);
  }
}

interface Prepared<V, R> {
  compiled: CompiledQuery<R>;
  /** Where each compiled parameter comes from: a value of the call, or a constant of the query. */
  slots: Array<{ value: keyof V } | { constant: unknown }>;
}

export interface PreparedQuery<S, V, R> {
  (db: Db, shape: S, values: V): Promise<QueryResult<R>>;
  /** The same query built afresh with the values inline: what the prepared one must answer (tests, EXPLAIN). */
  inline(db: Db, shape: S, values: V): Compilable<R>;
}

const MAX_SHAPES = 2_000;

/** The names of the values given (not undefined), sorted. */
function givenNames<V extends object>(values: V): Array<Extract<keyof V, string>> {
  const names: Array<Extract<keyof V, string>> = [];
  for (const name in values) if (values[name] !== undefined) names.push(name);
  return names.sort();
}

/** The shape's fields and which values are given, independent of the order either was written in. */
function cacheKey(shape: object, given: string[]): string {
  const fields = Object.entries(shape)
    .filter(([, field]) => field !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([fields, given]);
}

/**
 * Wraps a query builder that may branch on `shape` and on which values are given, but never reads a
 * value. The builder runs once per shape, set of given values and dialect; later calls reuse its
 * compiled SQL with their own values in its parameters.
 *
 * @example
 * const byId = preparedQuery((db, _shape: {}, v: Bindings<{ userId: string; id: number }>) =>
 *   db.selectFrom('tasks').select(['id']).where('user_id', '=', v.userId).where('id', '=', v.id));
 * await byId(db, {}, { userId: 'u1', id: 7 }); // select "id" from "tasks" where "user_id" = $1 and "id" = $2
 */
export function preparedQuery<S extends { [K in keyof S]: ShapeField }, V extends object, R>(
  build: (db: Db, shape: S, values: Bindings<V>) => Compilable<R>,
): PreparedQuery<S, V, R> {
  // Keyed by the dialect's adapter: a transaction shares its database's, and each dialect compiles alike.
  const cache = new WeakMap<object, Map<string, Prepared<V, R>>>();

  const prepare = (db: Db, shape: S, given: Array<Extract<keyof V, string>>): Prepared<V, R> => {
    const names = new Map<Parameter, keyof V>();
    const bindings: { [K in keyof V]?: Parameter } = {};
    for (const name of given) {
      const parameter = new Parameter();
      names.set(parameter, name);
      bindings[name] = parameter;
    }
    // Complete for the given names, and a Parameter is an Expression of any type; TypeScript cannot
    // follow an object of a mapped type built key by key.
    const compiled = build(db, shape, bindings as Bindings<V>).compile();
    const slots = compiled.parameters.map((parameter) => {
      const name = parameter instanceof Parameter ? names.get(parameter) : undefined;
      return name === undefined ? { constant: parameter } : { value: name };
    });
    return { compiled, slots };
  };

  const run = (db: Db, shape: S, values: V): Promise<QueryResult<R>> => {
    const given = givenNames(values);
    const key = cacheKey(shape, given);
    const adapter = db.getExecutor().adapter;
    let shapes = cache.get(adapter);
    if (!shapes) cache.set(adapter, (shapes = new Map()));
    let prepared = shapes.get(key);
    if (!prepared) {
      prepared = prepare(db, shape, given);
      // Shapes come from a small fixed set of branches; the cap only bounds memory should that change.
      if (shapes.size < MAX_SHAPES) shapes.set(key, prepared);
    }
    const parameters = prepared.slots.map((slot) => ('value' in slot ? values[slot.value] : slot.constant));
    return db.executeQuery({ ...prepared.compiled, parameters });
  };

  const inline = (db: Db, shape: S, values: V): Compilable<R> => {
    const bindings: { [K in keyof V]?: Expression<V[K]> } = {};
    for (const name of givenNames(values)) bindings[name] = sql.val(values[name]);
    return build(db, shape, bindings as Bindings<V>);
  };

  return Object.assign(run, { inline });
}
