// Path parameters and query strings arrive as text; the shared schemas expect numbers and booleans
// and (rightly) refuse "20" on tRPC. This turns URL text into the JSON value it spells, reading the
// schema without changing it, and leaves anything it does not recognise as text so that the shared
// schema rejects it with its own message. No rule is repeated here: "0" becomes 0 and the schema says
// it is too small.
import { z } from 'zod';
import { fieldType, inputObject } from './input-fields.ts';

type Kind = 'number' | 'boolean' | 'text';

function kindOf(field: z.core.$ZodType): Kind {
  const type = fieldType(field);
  if (type instanceof z.ZodNumber) return 'number';
  if (type instanceof z.ZodBoolean) return 'boolean';
  return 'text';
}

// JSON number syntax only: no hex, no exponent games, no surrounding spaces, no empty string.
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

function decodeValue(kind: Kind | undefined, text: string): unknown {
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
 * A decoder for the URL-borne fields of one input schema (path parameters, and the query of a route
 * without a body): each text becomes the JSON value it spells by the schema's type for that field;
 * everything else is left as it is. The schema is read once, here, not per request.
 *
 * @example
 * urlFieldDecoder(ListTasksInput)({ limit: '20', overdue: 'true', q: 'milk' }); // { limit: 20, overdue: true, q: 'milk' }
 */
export function urlFieldDecoder(schema: z.core.$ZodType): (fields: Record<string, unknown>) => Record<string, unknown> {
  const kinds = new Map(Object.entries(inputObject(schema).shape).map(([key, field]) => [key, kindOf(field)]));
  return (fields) => {
    const decoded: Record<string, unknown> = { ...fields };
    for (const [key, value] of Object.entries(decoded)) {
      if (typeof value === 'string') decoded[key] = decodeValue(kinds.get(key), value);
    }
    return decoded;
  };
}
