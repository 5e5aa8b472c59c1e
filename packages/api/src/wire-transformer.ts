// The /trpc wire's transformer: superjson, with a faster serializer for what the procedures return.
// superjson's walker copies every object and array, builds a path array per value and tries each of
// its rules on every leaf: 22 % of the server's busy time on `tasks.list` (bench/README.md, issue #19).
// The procedures' outputs are plain objects, arrays, strings, numbers, booleans, null and Dates, for
// which superjson's answer is the value itself (JSON.stringify writes a Date as its ISO string, as
// superjson does) plus one `Date` annotation per Date. This finds those annotations without copying;
// anything else (undefined, NaN, ±Infinity, -0, Map, Set, a class, an object met twice, a key with a
// dot…) is handed to superjson whole, so the output is always exactly superjson's.
import superjson from 'superjson';

type SuperJsonResult = ReturnType<typeof superjson.serialize>;

/** Thrown inside the walk when a value needs superjson's own handling. */
const NOT_PLAIN = Symbol('not plain');

export function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || (prototype === null && value !== Object.prototype);
}

type Annotations = ['Date'] | Record<string, unknown>;

/**
 * The Date annotations under `value`, built bottom-up as superjson's walker builds them (so that
 * the keys come in its order, integer-like keys first at each level); throws NOT_PLAIN for anything
 * superjson would treat otherwise.
 */
function dateAnnotations(value: unknown, seen: Set<object>): Annotations | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      if (!Number.isFinite(value) || Object.is(value, -0)) throw NOT_PLAIN;
      return undefined;
    case 'object':
      break;
    default:
      throw NOT_PLAIN;
  }
  if (value === null) return undefined;
  // superjson records an object reached by two paths (referentialEqualities).
  if (seen.has(value)) throw NOT_PLAIN;
  seen.add(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()) || !isPlainDate(value)) throw NOT_PLAIN;
    return ['Date'];
  }
  let inner: Record<string, unknown> | undefined;
  const add = (key: string, child: Annotations | undefined) => {
    if (child === undefined) return;
    inner ??= {};
    if (Array.isArray(child)) inner[key] = child;
    else for (const path of Object.keys(child)) inner[`${key}.${path}`] = child[path];
  };
  if (Array.isArray(value)) {
    if (Object.keys(value).length !== value.length) throw NOT_PLAIN;
    for (let i = 0; i < value.length; i++) add(String(i), dateAnnotations(value[i], seen));
    return inner;
  }
  if (!isPlainObject(value)) throw NOT_PLAIN;
  for (const key of Object.keys(value)) {
    // superjson escapes these in paths, and refuses the prototype-polluting ones.
    if (key.includes('.') || key.includes('\\') || key === '__proto__' || key === 'constructor' || key === 'prototype') throw NOT_PLAIN;
    add(key, dateAnnotations((value as Record<string, unknown>)[key], seen));
  }
  return inner;
}

/** A Date JSON.stringify writes as superjson does (through toISOString): no subclass, no own toJSON. */
export function isPlainDate(date: Date): boolean {
  return Object.getPrototypeOf(date) === Date.prototype && !Object.hasOwn(date, 'toJSON');
}

/** `superjson.serialize(value)`, without its copy when the value is plain data and Dates. */
export function serializeOutput(value: unknown): SuperJsonResult {
  let values: Annotations | undefined;
  try {
    values = dateAnnotations(value, new Set());
  } catch (error) {
    if (error === NOT_PLAIN) return superjson.serialize(value);
    throw error;
  }
  if (values === undefined) return { json: value } as SuperJsonResult;
  return { json: value instanceof Date ? value.toISOString() : value, meta: { values, v: 1 } } as SuperJsonResult;
}

/** superjson both ways; the server's output through `serializeOutput`. */
export const wireTransformer = {
  input: superjson,
  output: { serialize: serializeOutput, deserialize: superjson.deserialize },
};
