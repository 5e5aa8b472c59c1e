// The original's request bodies: one zod schema each, which both parses a body and documents it in
// /openapi.json. A schema checks only the wire format (names and camelCase spellings, JSON types,
// what `null` means); every rule on the values (title and description limits, NUL and surrogate
// checks, priorities, dates, tags, "at least one field") is the shared schemas', reached through the
// procedures. The domains those rules enforce are shown in the document through `.meta()` annotations
// made from the shared constants, so the document reads whole while the body parse stays type-only.
import { DESCRIPTION_MAX, TAG_MAX, TAGS_MAX, TASK_PRIORITIES, TITLE_MAX, type CreateTaskInput, type UpdateTaskInput } from '@tasks/api';
import { z } from 'zod';
import { badRequest } from './detail-errors.ts';

/** Other spellings a body may use for a field, in the order they are looked for. */
const ALIASES: Record<string, readonly string[]> = {
  // `dueAt` is the procedures' own name, accepted beside the camelCase spelling of `due_date`.
  due_date: ['dueDate', 'dueAt'],
};

/** Copies an alias onto its snake_case name when the body lacks that name (the snake_case spelling wins). */
function withAliases<T extends z.ZodType>(schema: T) {
  return z.preprocess((body) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
    const named: Record<string, unknown> = { ...body };
    for (const [name, others] of Object.entries(ALIASES)) {
      const alias = others.find((other) => Object.hasOwn(body, other));
      if (!Object.hasOwn(body, name) && alias !== undefined) named[name] = named[alias];
    }
    return named;
  }, schema);
}

const statusWord = z.string().meta({
  description: "`complete` or `incomplete`, in any case, trimmed; `completed` and `pending` are accepted too.",
  examples: ['complete', 'incomplete'],
});

const descriptionText = z.string().meta({ maxLength: DESCRIPTION_MAX });

/** Fields that create and update both take as they are. */
const laterFields = {
  priority: z
    .string()
    .meta({ enum: [...TASK_PRIORITIES] })
    .optional()
    .meta({ description: 'Another value is a 422. Created tasks default to `medium`.' }),
  due_date: z
    .string()
    .meta({ anyOf: [{ format: 'date' }, { format: 'date-time' }] })
    .nullable()
    .optional()
    .meta({
      description: `A bare \`YYYY-MM-DD\` (a date-only due: that whole day, answered back as that date), or a date-time with a time zone (an instant); \`null\` clears it. Not a date: 422. Also spelt ${ALIASES.due_date!.map((a) => `\`${a}\``).join(' or ')}.`,
    }),
  // `null` clears the list, as it clears a description or a due date.
  tags: z
    .array(z.string().meta({ maxLength: TAG_MAX }))
    .meta({ maxItems: TAGS_MAX })
    .nullable()
    .transform((tags) => tags ?? [])
    .optional()
    .meta({ description: `Up to ${TAGS_MAX} distinct tags of 1–${TAG_MAX} characters, trimmed and case-folded; repeats collapse; a PUT replaces the list; \`null\` clears it. Bad tags: 422.` }),
};

// Loose objects: unknown fields are ignored, never applied.
export const CompatCreateTaskBody = withAliases(
  z.looseObject({
    title: z.string().meta({ description: `Trimmed; 1–${TITLE_MAX} characters after trimming.` }),
    description: descriptionText.nullable().optional(),
    ...laterFields,
  }),
);

// Keys in the order FastAPI reported their type errors: a 422 lists its entries in this order.
export const CompatUpdateTaskBody = withAliases(
  z.looseObject({
    // `null` is an empty title, which the shared schema refuses ("Title cannot be empty").
    title: z
      .string()
      .nullable()
      .transform((title) => title ?? '')
      .optional()
      .meta({ description: `Trimmed; 1–${TITLE_MAX} characters after trimming; \`null\` or blank is refused (400).` }),
    description: descriptionText.nullable().optional().meta({ description: '`null` clears it.' }),
    ...laterFields,
    status: statusWord
      .nullable()
      .transform((status) => status ?? undefined)
      .optional()
      .meta({ description: '`null` means not given.' }),
    completed: z
      .boolean()
      .nullable()
      .transform((completed) => completed ?? undefined)
      .optional()
      .meta({ description: '`null` means not given; must agree with `status`.' }),
  }),
);

export const CompatStatusBody = z.looseObject({ status: statusWord });

/** The wire name of a procedure input key, for the `loc` of an error about it. */
export const wireName = (inputKey: string) => (inputKey === 'dueAt' || inputKey === 'dueDate' ? 'due_date' : inputKey);

/** The fields a PUT can change, named as the contract names them in its 400 message (its example's four first). */
export const UPDATABLE_WIRE_NAMES = ['title', 'description', 'status', 'completed', ...Object.keys(laterFields)];

const STATUS_WORDS: Record<string, boolean> = { complete: true, completed: true, incomplete: false, pending: false };

/** `"complete"`/`"incomplete"` (any case, trimmed; `completed`/`pending` too) as the `completed` flag. */
export function parseStatusWord(value: string): boolean | undefined {
  return STATUS_WORDS[value.trim().toLowerCase()];
}

function statusFlag(status: string): boolean {
  const completed = parseStatusWord(status);
  if (completed === undefined) throw badRequest("Status must be 'complete' or 'incomplete'");
  return completed;
}

type SharedInput = Pick<z.input<typeof UpdateTaskInput>, 'description' | 'priority' | 'dueAt' | 'dueDate' | 'tags'>;

/** A bare calendar date, as the original front end sends: a date-only due (the shared schema says whether it exists). */
const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The fields both procedures take, under their input names; absent ones stay absent. */
function sharedInput(body: z.output<typeof CompatCreateTaskBody> | z.output<typeof CompatUpdateTaskBody>): SharedInput {
  const input: SharedInput = {};
  if (body.description !== undefined) input.description = body.description;
  // Any string: the procedure's schema says which are priorities (its refusal is a 422 here).
  if (body.priority !== undefined) input.priority = body.priority as SharedInput['priority'];
  if (body.due_date !== undefined) {
    if (body.due_date !== null && BARE_DATE.test(body.due_date)) input.dueDate = body.due_date;
    else input.dueAt = body.due_date;
  }
  if (body.tags !== undefined) input.tags = body.tags;
  return input;
}

/** `POST /api/{user_id}/tasks`: `{title, description?}` and the later fields. */
export function createInput(body: z.output<typeof CompatCreateTaskBody>): z.input<typeof CreateTaskInput> {
  return { ...sharedInput(body), title: body.title };
}

/** `PUT /api/{user_id}/tasks/{id}`: partial; `status` and `completed` set one flag and must agree. */
export function updateInput(id: number, body: z.output<typeof CompatUpdateTaskBody>): z.input<typeof UpdateTaskInput> {
  const fromStatus = body.status === undefined ? undefined : statusFlag(body.status);
  if (fromStatus !== undefined && body.completed !== undefined && fromStatus !== body.completed) {
    throw badRequest('Status and completed disagree');
  }
  const input: z.input<typeof UpdateTaskInput> = { id, ...sharedInput(body) };
  if (body.title !== undefined) input.title = body.title;
  const flag = fromStatus ?? body.completed;
  if (flag !== undefined) input.completed = flag;
  return input;
}

/** `PATCH …/status`: the `completed` flag its `status` word names. */
export const statusInput = (body: z.output<typeof CompatStatusBody>): boolean => statusFlag(body.status);
