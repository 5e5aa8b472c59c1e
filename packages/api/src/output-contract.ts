// What a procedure answers is described by its zod schema: the type the client infers, and the wire
// contract of the OpenAPI document. The answer is not parsed again on every call: it is built from
// typed database rows, the compiler holds it to the schema's type, and re-parsing a page of 20 tasks
// (with tRPC's output middleware) cost about a tenth of a list request on every surface
// (bench/README.md, "Output validation").
// Where TASKS_CHECK_OUTPUT=1 (the test suites set it) every answer is checked against its schema, and
// a field the schema does not have fails as loudly as a field of the wrong type: nothing is stripped,
// so what the checks see is what production sends.
import type { z } from 'zod';
import { isPlainObject } from './wire-transformer.ts';

let checking: boolean | undefined;

/** TASKS_CHECK_OUTPUT, read once on first use (a harness may set it after importing this package). */
function checksOutput(): boolean {
  checking ??= (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.TASKS_CHECK_OUTPUT === '1';
  return checking;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && isPlainObject(value);

/** The first place where `given` has what the parsed value lost (a key the schema strips), or undefined. */
function strippedPath(given: unknown, parsed: unknown, path: string): string | undefined {
  if (Array.isArray(given) && Array.isArray(parsed)) {
    for (let i = 0; i < given.length; i++) {
      const found = strippedPath(given[i], parsed[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isRecord(given) && isRecord(parsed)) {
    for (const key of Object.keys(given)) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in parsed)) return at;
      const found = strippedPath(given[key], parsed[key], at);
      if (found) return found;
    }
  }
  return undefined;
}

/** Checks `value` against `schema` (see above): throws on a wrong type or a field the schema lacks. */
export function checkOutput<S extends z.ZodType>(schema: S, value: unknown): void {
  const parsed = schema.parse(value);
  const extra = strippedPath(value, parsed, '');
  if (extra !== undefined) throw new Error(`Output field ${extra} is not in the output schema`);
}

/**
 * A resolver that answers `schema`'s output: `.query(answers(Task, async ({ ctx, input }) => …))`.
 * Its declared result is what the client infers and what the compiler holds the resolver to. tRPC's
 * `.output()` would add a middleware level per call (copies of the call's options) to parse again.
 */
export function answers<S extends z.ZodType, Options>(
  schema: S,
  resolve: (options: Options) => z.output<S> | Promise<z.output<S>>,
): (options: Options) => z.output<S> | Promise<z.output<S>> {
  // Unchecked, the resolver's own result as it is: no extra promise on every call.
  return (options) => {
    if (!checksOutput()) return resolve(options);
    return Promise.resolve(resolve(options)).then((value) => {
      checkOutput(schema, value);
      return value;
    });
  };
}
