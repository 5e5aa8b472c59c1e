// The hot /trpc queries (tasks.list, tasks.get, tasks.stats) answered without tRPC's fetch adapter,
// when every call of the request succeeds. The stock path builds a fetch Request from the Node
// request, runs resolveResponse, JSON.stringify's the whole answer and hands Fastify a fetch Response;
// per `tasks.list` of 20 that was about three times REST's CPU for the same procedure (issue #19).
// Here the same procedures run through the server-side caller (the same middlewares, validation and
// context as on the HTTP path) and the answer is written by fast-json-stringify from the output
// schema, with superjson's Date annotations found along the schema's date fields.
//
// The answer is byte for byte the stock one (trpc-fast-queries.test.ts sends the same requests both
// ways). Anything else goes the stock way untouched: another procedure or method, a jsonl or SSE
// accept, connectionParams, an input that is not plain JSON, a batch over the limit, or any call that
// fails (then the queries run again on the stock path, which formats the error: queries are reads).
import { createCaller, isPlainDate, Task, TaskPage, TaskStats, wireTransformer, type Context } from '@tasks/api';
import fastJson from 'fast-json-stringify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { responseSchema } from './rest/response-schemas.ts';

type Caller = ReturnType<typeof createCaller>;

interface FastQuery {
  /** The `json` part of superjson's answer. */
  stringify(value: unknown): string;
  /** superjson's `meta.values` entries for the value, as JSON; NOT_FAST when it needs more than Date annotations. */
  annotate(value: unknown, prefix: string, into: string[]): void;
  call(caller: Caller, input: unknown): Promise<unknown>;
}

/** Thrown where a value needs more of superjson than Date annotations (that call goes through serializeOutput). */
const NOT_FAST = Symbol('not fast');

type Walker = (value: unknown, prefix: string, into: string[]) => void;
// Paths are written into the JSON as they are: only keys that need no escaping, in JSON or in superjson's paths.
const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;
const NOTHING: Walker = () => {};

/** The procedure's own output type, so that a table entry cannot pair a schema with another procedure. */
function fastQuery<S extends z.ZodType>(output: S, call: (caller: Caller, input: never) => Promise<z.output<S>>): FastQuery {
  return {
    stringify: fastJson(responseSchema(output) as unknown as Parameters<typeof fastJson>[0]) as (value: unknown) => string,
    annotate: dateWalker(output),
    call: call as (caller: Caller, input: unknown) => Promise<unknown>,
  };
}

const FAST_QUERIES: ReadonlyMap<string, FastQuery> = new Map([
  ['tasks.list', fastQuery(TaskPage, (caller, input: Parameters<Caller['tasks']['list']>[0]) => caller.tasks.list(input))],
  ['tasks.get', fastQuery(Task, (caller, input: Parameters<Caller['tasks']['get']>[0]) => caller.tasks.get(input))],
  ['tasks.stats', fastQuery(TaskStats, (caller, input: Parameters<Caller['tasks']['stats']>[0]) => caller.tasks.stats(input))],
]);


/**
 * What `make` gives for each path prefix, made once: the paths of a page are the same few strings on
 * every call (`items.0.createdAt` …), which the walk built afresh as three strings per date. Prefixes
 * come from the schema and from array positions, so there are at most a page's worth per schema node.
 */
function memo<T>(make: (prefix: string) => T): (prefix: string) => T {
  const made = new Map<string, T>();
  return (prefix) => {
    let value = made.get(prefix);
    if (value === undefined) made.set(prefix, (value = make(prefix)));
    return value;
  };
}

/**
 * Walks a value along its output schema's date fields, as superjson's walker would find them (object
 * keys in the schema's order, which is the order the output parser builds them in).
 */
function dateWalker(schema: z.ZodType): Walker {
  const def = schema._zod.def as unknown as { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType };
  switch (def.type) {
    case 'date': {
      const entries = memo((prefix) => `"${prefix}":["Date"]`);
      return (value, prefix, into) => {
        if (value === null) return;
        if (!(value instanceof Date) || !isPlainDate(value) || Number.isNaN(value.getTime())) throw NOT_FAST;
        into.push(entries(prefix));
      };
    }
    case 'nullable':
    case 'readonly':
      return dateWalker(def.innerType!);
    case 'array': {
      const element = dateWalker(def.element!);
      if (element === NOTHING) return NOTHING;
      const paths = memo((prefix) => [] as string[]);
      return (value, prefix, into) => {
        const items = value as unknown[];
        const known = paths(prefix);
        for (let i = 0; i < items.length; i++) element(items[i], (known[i] ??= `${prefix}.${i}`), into);
      };
    }
    case 'object': {
      const fields = Object.entries(def.shape!).map(([key, field]) => {
        // superjson escapes some keys in paths, and annotates an optional field left `undefined`.
        if (!PLAIN_KEY.test(key) || field._zod.optin === 'optional') throw new Error(`fast /trpc query: field ${key} needs superjson's own handling`);
        return [key, dateWalker(field)] as const;
      });
      const dated = fields.filter(([, walk]) => walk !== NOTHING);
      if (dated.length === 0) return NOTHING;
      const paths = memo((prefix) => dated.map(([key]) => (prefix === '' ? key : `${prefix}.${key}`)));
      return (value, prefix, into) => {
        if (value === null) return;
        const record = value as Record<string, unknown>;
        const known = paths(prefix);
        for (let i = 0; i < dated.length; i++) dated[i]![1](record[dated[i]![0]], known[i]!, into);
      };
    }
    case 'string':
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
      return NOTHING;
    default:
      throw new Error(`fast /trpc query: a ${def.type} in the output needs superjson's own handling`);
  }
}

/** One call's `{"result":{"data":…}}`, as transformTRPCResponse and JSON.stringify would write it. */
function resultJson(query: FastQuery, value: unknown): string {
  const values: string[] = [];
  try {
    query.annotate(value, '', values);
  } catch (error) {
    if (error !== NOT_FAST) throw error;
    return `{"result":{"data":${JSON.stringify(wireTransformer.output.serialize(value))}}}`;
  }
  if (values.length > 0) return `{"result":{"data":{"json":${query.stringify(value)},"meta":{"values":{${values.join(',')}},"v":1}}}}`;
  return `{"result":{"data":{"json":${query.stringify(value)}}}}`;
}

/** The calls of a GET the fast path takes, or undefined for the stock path. */
export function fastCalls(request: FastifyRequest, maxBatchSize: number | undefined): { batch: boolean; calls: Array<[FastQuery, unknown]> } | undefined {
  if (request.method !== 'GET') return undefined;
  const { headers } = request;
  // tRPC answers jsonl or SSE on these; a content type other than JSON is its multipart or octet handler's.
  if (headers['trpc-accept'] !== undefined || headers.accept?.includes('jsonl') || headers['last-event-id'] !== undefined) return undefined;
  if (headers['content-type'] !== undefined && !headers['content-type'].startsWith('application/json')) return undefined;
  const query = request.query as Record<string, string | string[] | undefined>;
  if (query['connectionParams'] !== undefined) return undefined;
  const batch = query['batch'] === '1';
  const path = (request.params as { path?: string }).path ?? '';
  const paths = batch ? path.split(',') : [path];
  if (maxBatchSize !== undefined && paths.length > maxBatchSize) return undefined;
  const queries: FastQuery[] = [];
  for (const name of paths) {
    const found = FAST_QUERIES.get(name);
    if (!found) return undefined;
    queries.push(found);
  }
  const text = query['input'];
  if (text !== undefined && typeof text !== 'string') return undefined;
  let inputs: unknown;
  try {
    inputs = text ? JSON.parse(text) : undefined;
    if (!batch) return { batch, calls: [[queries[0]!, inputs === undefined ? undefined : wireTransformer.input.deserialize(inputs as never)]] };
    if (inputs !== undefined && (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))) return undefined;
    const byIndex = inputs as Record<string, unknown> | undefined;
    return {
      batch,
      calls: queries.map((found, index) => {
        const raw = byIndex === undefined || !Object.hasOwn(byIndex, index) ? undefined : byIndex[index];
        return [found, raw === undefined ? undefined : wireTransformer.input.deserialize(raw as never)];
      }),
    };
  } catch {
    return undefined;
  }
}

const asIs = (json: string) => json;

export interface FastQueryOptions {
  createContext(request: FastifyRequest): Context;
  maxBatchSize?: number | undefined;
}

/** A preHandler for /trpc's routes: answers the request itself, or leaves it to tRPC's handler. */
export function fastQueryHandler(options: FastQueryOptions) {
  return async function fastQueries(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const plan = fastCalls(request, options.maxBatchSize);
    if (!plan) return undefined;
    const caller = createCaller(options.createContext(request));
    let results: unknown[];
    try {
      results = await Promise.all(plan.calls.map(([found, input]) => found.call(caller, input)));
    } catch {
      return undefined;
    }
    const parts = results.map((value, index) => resultJson(plan.calls[index]![0], value));
    reply.code(200).header('vary', 'trpc-accept, accept').header('content-type', 'application/json');
    // Through a serializer of its own: Fastify adds `; charset=utf-8` to the JSON type of a string it
    // sends itself, which tRPC does not send; as bytes, each answer was copied into a Buffer of its own
    // (outside the heap, about 8 KB for a page of 20). Fastify's way to answer from an async hook:
    // send, then return the reply.
    return reply.serializer(asIs).send(plan.batch ? `[${parts.join(',')}]` : parts[0]!);
  };
}
