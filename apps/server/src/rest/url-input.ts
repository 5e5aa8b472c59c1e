// Path parameters and query strings arrive as text; the shared schemas expect numbers and booleans
// and (rightly) refuse "20" on tRPC. This turns URL text into the JSON value it spells, reading the
// schema without changing it, and leaves anything it does not recognise as text so that the shared
// schema rejects it with its own message. No rule is repeated here: "0" becomes 0 and the schema says
// it is too small.
import type { z } from 'zod';

type AnySchema = z.core.$ZodType;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema under optional/default/… wrappers. */
function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  while (WRAPPERS.has(current._zod.def.type)) current = (current._zod.def as unknown as { innerType: AnySchema }).innerType;
  return current;
}

/** The object shape of a procedure's input schema, if it is an object. */
export function inputShape(schema: AnySchema | undefined): Record<string, AnySchema> | undefined {
  if (!schema) return undefined;
  const inner = unwrap(schema);
  return inner._zod.def.type === 'object' ? (inner._zod.def as unknown as { shape: Record<string, AnySchema> }).shape : undefined;
}

// JSON number syntax only: no hex, no exponent games, no surrounding spaces, no empty string.
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

function decodeValue(schema: AnySchema | undefined, text: string): unknown {
  const kind = schema ? unwrap(schema)._zod.def.type : undefined;
  if (kind === 'number' && JSON_NUMBER.test(text)) return Number(text);
  if (kind === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** A path segment as sent, percent-decoded; a malformed %-escape is left as is for the schema to reject. */
export function decodePathSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The values of URL-borne fields (path parameters, and the query of a route without a body) as the
 * JSON values they spell, by the schema's type for each field; everything else is left as it is.
 *
 * @example
 * decodeUrlFields(ListTasksInput, { limit: '20', overdue: 'true', q: 'milk' }); // { limit: 20, overdue: true, q: 'milk' }
 */
export function decodeUrlFields(schema: AnySchema | undefined, fields: Record<string, unknown>): Record<string, unknown> {
  const shape = inputShape(schema) ?? {};
  const decoded: Record<string, unknown> = { ...fields };
  for (const [key, value] of Object.entries(decoded)) {
    if (typeof value === 'string') decoded[key] = decodeValue(shape[key], value);
  }
  return decoded;
}
