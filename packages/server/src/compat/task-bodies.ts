// The original's request bodies mapped onto the procedures' inputs. Only the wire format lives here
// (names, JSON types, `status` words); every rule on the values (title and description limits, NUL
// and surrogate checks, "at least one field") is the shared schemas', reached through the procedures.
import type { CreateTaskInput, UpdateTaskInput } from '@tasks/api';
import type { z } from 'zod';
import { detailError, entry, unprocessable, type IssueTranslation, type ValidationEntry } from './detail-errors.ts';
import { fieldValue, ProblemList, type JsonObject } from './request-body.ts';

/** The JSON type a field's value must have; its rules beyond that are the shared schemas'. */
type JsonKind = 'string' | 'boolean' | 'stringList';

interface BodyField {
  /** The snake_case name, in bodies and in 422 `loc`s. */
  wire: string;
  /** Every spelling accepted in a body, snake_case first (then camelCase aliases). */
  names: readonly string[];
  /** The procedures' input key. */
  input: string;
  kind: JsonKind;
  /** What `null` means: a value (clears the field), or `undefined` for a type error. */
  nullAs?: null | readonly never[];
  /** Whether the shared schema's refusals for this field answer 422 (the later fields) rather than 400. */
  domainIs422?: boolean;
}

/** Fields that create and update both take as they are. */
const SHARED_FIELDS: readonly BodyField[] = [
  { wire: 'description', names: ['description'], input: 'description', kind: 'string', nullAs: null },
  { wire: 'priority', names: ['priority'], input: 'priority', kind: 'string', domainIs422: true },
  // `dueAt` is the procedures' own name, accepted beside the camelCase spelling of `due_date`.
  { wire: 'due_date', names: ['due_date', 'dueDate', 'dueAt'], input: 'dueAt', kind: 'string', nullAs: null, domainIs422: true },
  // `null` clears the list, as it clears a description or a due date.
  { wire: 'tags', names: ['tags'], input: 'tags', kind: 'stringList', nullAs: [], domainIs422: true },
];

const TITLE: BodyField = { wire: 'title', names: ['title'], input: 'title', kind: 'string' };
const STATUS: BodyField = { wire: 'status', names: ['status'], input: 'completed', kind: 'string', nullAs: null };
const COMPLETED: BodyField = { wire: 'completed', names: ['completed'], input: 'completed', kind: 'boolean', nullAs: null };

/** The fields a PUT can change, named as the contract names them in its 400 message (its example's four first). */
const UPDATABLE_WIRE_NAMES = [TITLE, SHARED_FIELDS[0]!, STATUS, COMPLETED, ...SHARED_FIELDS.slice(1)].map((f) => f.wire);

/** FastAPI's entries for a value of the wrong JSON type (none when the type is right). */
function typeProblems(value: unknown, field: BodyField): ValidationEntry[] {
  switch (field.kind) {
    case 'string':
      return typeof value === 'string' ? [] : [entry.stringType(field.wire)];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [entry.boolType(field.wire)];
    case 'stringList':
      if (!Array.isArray(value)) return [entry.listType(field.wire)];
      return value.flatMap((item, index) => (typeof item === 'string' ? [] : [entry.stringType(field.wire, index)]));
  }
}

/** Reads one field: undefined when absent; records a 422 for a value of the wrong JSON type. */
function read(body: JsonObject, field: BodyField, problems: ProblemList): unknown {
  const value = fieldValue(body, field.names);
  if (value === undefined) return undefined;
  if (value === null && field.nullAs !== undefined) return field.nullAs;
  const found = typeProblems(value, field);
  for (const problem of found) problems.add(problem);
  return found.length ? undefined : value;
}

function readShared(body: JsonObject, problems: ProblemList): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of SHARED_FIELDS) {
    const value = read(body, field, problems);
    if (value !== undefined) values[field.input] = value;
  }
  return values;
}

const STATUS_WORDS: Record<string, boolean> = { complete: true, completed: true, incomplete: false, pending: false };

/** `"complete"`/`"incomplete"` (any case, trimmed; `completed`/`pending` too) as the `completed` flag. */
export function parseStatusWord(value: string): boolean | undefined {
  return STATUS_WORDS[value.trim().toLowerCase()];
}

function statusFlag(status: string): boolean {
  const completed = parseStatusWord(status);
  if (completed === undefined) throw detailError(400, "Status must be 'complete' or 'incomplete'");
  return completed;
}

const ALL_FIELDS = [TITLE, STATUS, COMPLETED, ...SHARED_FIELDS];
const wireName = (inputKey: string) => ALL_FIELDS.find((f) => f.input === inputKey)?.wire ?? inputKey;
const unprocessableKeys = new Set(ALL_FIELDS.filter((f) => f.domainIs422).map((f) => f.input));

/** Wording of the shared schemas' messages that reads better in FastAPI's vocabulary, on both routes. */
function sharedRewrite(message: string, inputKey: string): string | undefined {
  if (inputKey === 'priority' && message.startsWith('Invalid option')) return "Input should be 'low', 'medium' or 'high'";
  // The date schema is a union (date, date-time, YYYY-MM-DD); a string that is none of them says only "Invalid input".
  if (inputKey === 'dueAt' && message === 'Invalid input') {
    return 'Input should be a valid date (YYYY-MM-DD) or date-time with a time zone (ISO 8601)';
  }
  return undefined;
}

export const createTranslation: IssueTranslation = { wireName, unprocessableKeys, rewrite: sharedRewrite };

export const updateTranslation: IssueTranslation = {
  wireName,
  unprocessableKeys,
  rewrite(message, inputKey) {
    if (inputKey === 'title' && message === 'Title is required') return 'Title cannot be empty';
    if (message.startsWith('At least one field')) {
      return `At least one field (${UPDATABLE_WIRE_NAMES.join(', ')}) must be provided`;
    }
    return sharedRewrite(message, inputKey);
  },
};

/** `POST /api/{user_id}/tasks`: `{title, description?}` and the shared fields. */
export function createInput(body: JsonObject): z.input<typeof CreateTaskInput> {
  const problems = new ProblemList();
  const title = fieldValue(body, TITLE.names);
  if (title === undefined) problems.add(entry.missing(TITLE.wire));
  else if (typeof title !== 'string') problems.add(entry.stringType(TITLE.wire));
  const shared = readShared(body, problems);
  problems.throwIfAny();
  return { ...shared, title: title as string };
}

/** `PUT /api/{user_id}/tasks/{id}`: partial; `status`/`completed` null mean not given, `title: null` is an empty title. */
export function updateInput(id: number, body: JsonObject): z.input<typeof UpdateTaskInput> {
  const problems = new ProblemList();
  const title = read(body, { ...TITLE, nullAs: null }, problems);
  const shared = readShared(body, problems);
  const status = read(body, STATUS, problems) as string | null | undefined;
  const completed = read(body, COMPLETED, problems) as boolean | null | undefined;
  problems.throwIfAny();

  const fromStatus = typeof status === 'string' ? statusFlag(status) : undefined;
  if (fromStatus !== undefined && typeof completed === 'boolean' && fromStatus !== completed) {
    throw detailError(400, 'Status and completed disagree');
  }
  const input: z.input<typeof UpdateTaskInput> = { id, ...shared };
  // A null title reaches the shared schema as an empty one, whose refusal is rewritten above.
  if (title !== undefined) input.title = title === null ? '' : (title as string);
  const flag = fromStatus ?? completed ?? undefined;
  if (flag !== undefined) input.completed = flag;
  return input;
}

/** `PATCH …/status`: `{"status": "complete" | "incomplete"}`, required. */
export function statusInput(body: JsonObject): boolean {
  const status = fieldValue(body, STATUS.names);
  if (status === undefined) throw unprocessable([entry.missing(STATUS.wire)]);
  if (typeof status !== 'string') throw unprocessable([entry.stringType(STATUS.wire)]);
  return statusFlag(status);
}

