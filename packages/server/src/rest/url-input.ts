// Path parameters and query strings arrive as text; the shared schemas expect numbers and booleans
// and (rightly) refuse "20" on tRPC. This turns URL text into the JSON value it spells, reading the
// schema without changing it, and leaves anything it does not recognise as text so that the shared
// schema rejects it with its own message. No rule is repeated here: "0" becomes 0 and the schema says
// it is too small.
//
// A field that takes several values (`priority`, `tag`) is sent repeated (`tag=a&tag=b`, OpenAPI's
// default `form` style). Some clients join them with commas instead; that must never quietly mean
// something else, so a comma-joined value is split where no value can hold a comma (an enum of
// comma-free words: `priority=high,low`) and refused, naming the field, where one can (a tag may
// contain a comma, so `tag=home,errand` would be ambiguous).
import { z } from 'zod';
import { enumValues, fieldType, inputObject, listElement } from './input-fields.ts';

type Scalar = 'number' | 'boolean';

function scalarOf(field: z.core.$ZodType): Scalar | undefined {
  const type = fieldType(field);
  if (type instanceof z.ZodNumber) return 'number';
  if (type instanceof z.ZodBoolean) return 'boolean';
  return undefined;
}

/**
 * What a comma in a value of a field that takes several values means: a separator where no value can
 * hold one (an enum of comma-free words), otherwise nothing it could safely mean. Undefined for a
 * field that takes one value.
 */
export function commaRule(field: z.core.$ZodType): 'split' | 'refuse' | undefined {
  const element = listElement(field);
  if (!element) return undefined;
  return enumValues(element)?.every((v) => typeof v === 'string' && !v.includes(',')) ? 'split' : 'refuse';
}

// JSON number syntax only: no hex, no exponent games, no surrounding spaces, no empty string.
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

function decodeValue(kind: Scalar | undefined, text: string): unknown {
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

function commaIssue(key: string, value: unknown): z.core.$ZodIssue {
  return {
    code: 'custom',
    path: [key],
    input: value,
    message: `Send several values as repeated parameters (${key}=a&${key}=b), not comma-joined: a value may itself contain a comma`,
  };
}

/**
 * A decoder for the URL-borne fields of one input schema (path parameters, and the query of a route
 * without a body): each text becomes the JSON value it spells by the schema's type for that field;
 * everything else is left as it is. The schema is read once, here, not per request. Throws a
 * ZodError, as the schema would, for a comma-joined value of a field whose values may hold commas.
 *
 * @example
 * urlFieldDecoder(ListTasksInput)({ limit: '20', overdue: 'true', priority: 'high,low' }); // { limit: 20, overdue: true, priority: ['high', 'low'] }
 */
export function urlFieldDecoder(schema: z.core.$ZodType): (fields: Record<string, unknown>) => Record<string, unknown> {
  const fields = Object.entries(inputObject(schema).shape);
  const scalars = new Map(fields.map(([key, field]) => [key, scalarOf(field)]));
  const commas = new Map(fields.map(([key, field]) => [key, commaRule(field)]));
  return (given) => {
    const decoded: Record<string, unknown> = { ...given };
    const issues: z.core.$ZodIssue[] = [];
    for (const [key, value] of Object.entries(decoded)) {
      const comma = commas.get(key);
      if (comma) {
        const values = Array.isArray(value) ? value : [value];
        if (!values.some((v) => typeof v === 'string' && v.includes(','))) continue;
        if (comma === 'refuse') issues.push(commaIssue(key, value));
        else decoded[key] = values.flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
      } else if (typeof value === 'string') {
        decoded[key] = decodeValue(scalars.get(key), value);
      }
    }
    // ZodRealError, as parsing throws: an Error, so tRPC keeps it as the cause (field issues and all).
    if (issues.length) throw new z.ZodRealError(issues);
    return decoded;
  };
}
