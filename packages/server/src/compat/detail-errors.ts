// The original system's error bodies, `{"detail": …}`, as a catalogue: each failure the compatibility
// routes can answer, with its status. Procedure errors (TRPCError, zod issues from the shared schemas)
// are translated here, once; the routes only throw.
import { TRPCError } from '@trpc/server';
import { ZodError, type core } from 'zod';

/** One entry of FastAPI's 422 body: `{"type": "missing", "loc": ["body", "title"], "msg": "Field required"}`. */
export interface ValidationEntry {
  type: string;
  loc: (string | number)[];
  msg: string;
}

export class CompatError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(typeof body === 'object' ? JSON.stringify(body) : String(body));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** `{"detail": {"error": message}}`: validation and lookup errors. */
export const detailError = (status: number, message: string, headers?: Record<string, string>) =>
  new CompatError(status, { detail: { error: message } }, headers);

export const unauthorized = (why: string) =>
  new CompatError(401, { detail: { error: 'Unauthorized', message: why } }, { 'www-authenticate': 'Bearer' });

export const forbidden = (why: string) => new CompatError(403, { detail: { error: 'Forbidden', message: why } });

export const unprocessable = (entries: ValidationEntry[]) => new CompatError(422, { detail: entries });

export const invalidTaskId = () => detailError(400, 'Invalid task ID');
export const taskNotFound = () => detailError(404, 'Task not found');

/** FastAPI's entries, by pydantic error type. */
export const entry = {
  missing: (...loc: (string | number)[]): ValidationEntry => ({ type: 'missing', loc: ['body', ...loc], msg: 'Field required' }),
  stringType: (...loc: (string | number)[]): ValidationEntry => ({ type: 'string_type', loc: ['body', ...loc], msg: 'Input should be a valid string' }),
  listType: (field: string): ValidationEntry => ({ type: 'list_type', loc: ['body', field], msg: 'Input should be a valid list' }),
  boolType: (field: string): ValidationEntry => ({ type: 'bool_type', loc: ['body', field], msg: 'Input should be a valid boolean' }),
  jsonInvalid: (position: number): ValidationEntry => ({ type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error' }),
  notAnObject: (): ValidationEntry => ({
    type: 'model_attributes_type',
    loc: ['body'],
    msg: 'Input should be a valid dictionary or object to extract fields from',
  }),
  /** A value the shared schema refused for a field whose domain errors answer 422 (priority, dates, tags). */
  outOfDomain: (type: string, loc: (string | number)[], msg: string): ValidationEntry => ({ type, loc: ['body', ...loc], msg }),
};

/** pydantic's error type for a zod issue, as near as the two vocabularies meet. */
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

/** What a shared-schema issue means on this surface: which wire field, and 400 or 422. */
export interface IssueTranslation {
  /** The wire (snake_case) name of a procedure input key. */
  wireName(inputKey: string): string;
  /** Input keys whose out-of-domain values are a 422 (the later fields), not a 400. */
  unprocessableKeys: ReadonlySet<string>;
  /** The contract's wording for a message of the shared schema, e.g. update's "Title cannot be empty". */
  rewrite?(message: string, inputKey: string): string | undefined;
}

function fromZodIssues(issues: core.$ZodIssue[], translation: IssueTranslation): CompatError {
  const fieldIssues = issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const message = translation.rewrite?.(issue.message, key) ?? issue.message;
    return { key, message, issue };
  });
  const unprocessableIssues = fieldIssues.filter((i) => translation.unprocessableKeys.has(i.key));
  if (unprocessableIssues.length) {
    // FastAPI lists every problem, each at its place in the body (`["body", "tags", 2]`).
    return unprocessable(
      unprocessableIssues.map(({ key, message, issue }) =>
        entry.outOfDomain(pydanticType(issue), [translation.wireName(key), ...issue.path.slice(1).map((p) => (typeof p === 'number' ? p : String(p)))], message),
      ),
    );
  }
  const first = fieldIssues[0];
  if (!first) return detailError(400, 'Invalid input');
  if (first.message !== first.issue.message) return detailError(400, first.message);
  // The shared schema's own sentences ("Title must be 255 characters or less") are the contract's;
  // its fragments ("must not contain NUL characters") get the field's wire name in front.
  const sentence = /^[A-Z]/.test(first.message) || !first.key ? first.message : `${translation.wireName(first.key)} ${first.message}`;
  return detailError(400, sentence);
}

const STATUS_BY_CODE: Partial<Record<TRPCError['code'], number>> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
};

/** Translates whatever a procedure threw into this surface's answer. */
export function fromProcedureError(error: unknown, translation: IssueTranslation): CompatError {
  if (error instanceof CompatError) return error;
  if (!(error instanceof TRPCError)) return detailError(500, 'Internal server error');
  if (error.cause instanceof ZodError) return fromZodIssues(error.cause.issues, translation);
  switch (error.code) {
    case 'NOT_FOUND':
      return taskNotFound();
    case 'UNAUTHORIZED':
      return unauthorized(error.message);
    case 'SERVICE_UNAVAILABLE':
      return detailError(503, error.message, { 'retry-after': String('retryAfterSeconds' in error ? error.retryAfterSeconds : 5) });
    case 'INTERNAL_SERVER_ERROR':
      return detailError(500, 'Internal server error');
    default:
      return detailError(STATUS_BY_CODE[error.code] ?? 500, STATUS_BY_CODE[error.code] ? error.message : 'Internal server error');
  }
}

/** Errors raised by Fastify itself before a handler runs (body too large, rate limit, timeouts). */
export function fromFrameworkError(error: unknown): CompatError {
  if (error instanceof CompatError) return error;
  if (error instanceof TRPCError) return fromProcedureError(error, { wireName: (k) => k, unprocessableKeys: new Set() });
  const { statusCode, code, message } = (error ?? {}) as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return detailError(413, 'Request body is too large');
  // FST_ERR_HANDLER_TIMEOUT: a dependency is stuck; like an unreachable database, worth a retry.
  if (statusCode === 503) return detailError(503, 'The service is unavailable; retry shortly', { 'retry-after': '5' });
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && typeof message === 'string') {
    return detailError(statusCode, message);
  }
  return detailError(500, 'Internal server error');
}
