// FastAPI's validation answers, made from zod issues in this one place. The body schemas' issues (JSON
// types) become 422 entries; the procedures' input issues become a 422 for the later fields' domains
// and the contract's 400 sentence for the rest. The order between them is the contract's: a body's
// 422s are answered before the procedure is called, so before any 400 of the shared schemas.
import { TRPCError } from '@trpc/server';
import { ZodError, type core } from 'zod';
import { badRequest, compatAnswer, CompatError, unprocessable, type ValidationEntry } from './detail-errors.ts';
import { UPDATABLE_WIRE_NAMES, wireName } from './task-bodies.ts';

const locOf = (path: PropertyKey[]) => ['body', ...path.map((part) => (typeof part === 'number' ? part : String(part)))];

const missing = (loc: (string | number)[]): ValidationEntry => ({ type: 'missing', loc, msg: 'Field required' });

/** pydantic's entry for a value that is not of the JSON type a schema expects. */
const JSON_TYPES: Record<string, Omit<ValidationEntry, 'loc'>> = {
  string: { type: 'string_type', msg: 'Input should be a valid string' },
  boolean: { type: 'bool_type', msg: 'Input should be a valid boolean' },
  array: { type: 'list_type', msg: 'Input should be a valid list' },
  object: { type: 'model_attributes_type', msg: 'Input should be a valid dictionary or object to extract fields from' },
};

/** FastAPI's entries for a body's text, before there is a value for a schema to check. */
export const bodyTextEntry = {
  missing: () => missing(['body']),
  jsonInvalid: (position: number): ValidationEntry => ({ type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error' }),
  notAnObject: (): ValidationEntry => ({ ...JSON_TYPES.object!, loc: ['body'] }),
};

/** An issue of a body schema, parsed with `reportInput` (which is how an absent field differs from `null`). */
function bodyEntry(issue: core.$ZodIssue): ValidationEntry {
  const loc = locOf(issue.path);
  // An absent field, or a JSON `null` for the whole body (FastAPI reads that as no body).
  if (issue.input === undefined || (issue.path.length === 0 && issue.input === null)) return missing(loc);
  const jsonType = issue.code === 'invalid_type' ? JSON_TYPES[issue.expected] : undefined;
  return jsonType ? { ...jsonType, loc } : { type: 'value_error', loc, msg: issue.message };
}

/** Every problem of a body, one entry each, in the schema's key order (FastAPI lists them all). */
export const fromBodyIssues = (issues: core.$ZodIssue[]): CompatError => unprocessable(issues.map(bodyEntry));

/** pydantic's error type for a shared-schema issue, as near as the two vocabularies meet. */
function pydanticType(issue: core.$ZodIssue): string {
  const origin = 'origin' in issue ? issue.origin : undefined;
  switch (issue.code) {
    case 'invalid_value':
      return 'enum';
    case 'too_big':
      return origin === 'string' ? 'string_too_long' : 'too_long';
    case 'too_small':
      return origin === 'string' ? 'string_too_short' : 'too_short';
    default:
      return 'value_error';
  }
}

/** Input keys whose out-of-domain values are a 422 (the later fields), not a 400. */
const UNPROCESSABLE_KEYS = new Set(['priority', 'dueAt', 'dueDate', 'tags']);

/** The contract's wording for a message of the shared schemas, on one route; undefined keeps it. */
export type InputWording = (message: string, inputKey: string) => string | undefined;

/** Wording of the shared schemas' messages that reads better in FastAPI's vocabulary, on both routes. */
export const createWording: InputWording = (message, inputKey) => {
  if (inputKey === 'priority' && message.startsWith('Invalid option')) return "Input should be 'low', 'medium' or 'high'";
  // The date schema is a union (date, date-time, YYYY-MM-DD); a string that is none of them says only "Invalid input".
  if (inputKey === 'dueAt' && message === 'Invalid input') {
    return 'Input should be a valid date (YYYY-MM-DD) or date-time with a time zone (ISO 8601)';
  }
  return undefined;
};

export const updateWording: InputWording = (message, inputKey) => {
  if (inputKey === 'title' && message === 'Title is required') return 'Title cannot be empty';
  if (message.startsWith('At least one field')) return `At least one field (${UPDATABLE_WIRE_NAMES.join(', ')}) must be provided`;
  return createWording(message, inputKey);
};

function fromInputIssues(issues: core.$ZodIssue[], wording: InputWording): CompatError {
  const fieldIssues = issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    return { key, message: wording(issue.message, key) ?? issue.message, issue };
  });
  const unprocessableIssues = fieldIssues.filter((i) => UNPROCESSABLE_KEYS.has(i.key));
  if (unprocessableIssues.length) {
    // FastAPI lists every problem, each at its place in the body (`["body", "tags", 2]`).
    return unprocessable(
      unprocessableIssues.map(({ key, message, issue }) => ({ type: pydanticType(issue), loc: locOf([wireName(key), ...issue.path.slice(1)]), msg: message })),
    );
  }
  const first = fieldIssues[0];
  if (!first) return badRequest('Invalid input');
  if (first.message !== first.issue.message) return badRequest(first.message);
  // The shared schema's own sentences ("Title must be 255 characters or less") are the contract's;
  // its fragments ("must not contain NUL characters") get the field's wire name in front.
  const sentence = /^[A-Z]/.test(first.message) || !first.key ? first.message : `${wireName(first.key)} ${first.message}`;
  return badRequest(sentence);
}

/** Whatever a procedure threw, as this surface's answer: its input issues here, the rest by the catalogue. */
export function procedureFailure(error: unknown, wording: InputWording): CompatError {
  if (error instanceof TRPCError && error.cause instanceof ZodError) return fromInputIssues(error.cause.issues, wording);
  return compatAnswer(error);
}
