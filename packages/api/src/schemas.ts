// One zod schema per concept, shared by the tRPC procedures, the REST routes and the client's types.
import { MAX_TASK_ID, TASK_PRIORITIES, TASK_SORTS, TASK_TIE_ORDERS } from '@tasks/db';
import { z } from 'zod';

/**
 * Text PostgreSQL can store: no NUL characters, no lone UTF-16 surrogates (both would be
 * rejected by the database as a 500; here they are a 400 that names the field).
 */
export const storableText = z
  .string()
  .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' })
  .refine((s) => s.isWellFormed(), { message: 'must be valid Unicode (no lone surrogates)' });

export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 5000;

export const taskTitle = storableText
  .transform((s) => s.trim().normalize('NFC'))
  .pipe(
    z
      .string()
      .min(1, { message: 'Title is required' })
      .max(TITLE_MAX, { message: `Title must be ${TITLE_MAX} characters or less` }),
  );

export const taskDescription = storableText.max(DESCRIPTION_MAX, {
  message: `Description must be ${DESCRIPTION_MAX} characters or less`,
});

export const taskId = z.number().int().min(1).max(MAX_TASK_ID);

export const taskStatusFilter = z.enum(['all', 'pending', 'completed']);

// Defined once, in @tasks/db beside the table they describe; re-exported for the API's users.
export { TASK_PRIORITIES, TASK_SORTS };
export const taskPriority = z.enum(TASK_PRIORITIES);
export type TaskPriority = z.infer<typeof taskPriority>;

export const TAG_MAX = 40;
export const TAGS_MAX = 20;

/** A tag as stored: trimmed, NFC, case-folded, 1–40 characters (code points, as PostgreSQL counts them). */
export const taskTag = storableText
  .transform((s) => s.trim().normalize('NFC').toLowerCase())
  .pipe(
    z
      .string()
      .min(1, { message: 'Tag must not be empty' })
      .refine((s) => [...s].length <= TAG_MAX, { message: `Tag must be ${TAG_MAX} characters or less` }),
  );

/** Up to 20 distinct tags; repeats (after case-folding) collapse onto the first, order kept. */
export const taskTags = z
  .array(taskTag)
  .max(100, { message: `At most ${TAGS_MAX} distinct tags` })
  .transform((tags) => [...new Set(tags)])
  .pipe(z.array(z.string()).max(TAGS_MAX, { message: `At most ${TAGS_MAX} distinct tags` }));

const MIN_DATE = Date.UTC(1, 0, 1);
const MAX_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * An instant: a Date (tRPC, superjson) or an ISO 8601 string (REST); a bare `YYYY-MM-DD` means
 * midnight UTC. Years 1–9999, which both JavaScript and PostgreSQL hold.
 */
export const dateInput = z
  .union([z.date(), z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((v) => (v instanceof Date ? v : new Date(v.length === 10 ? `${v}T00:00:00.000Z` : v)))
  .refine((d) => !Number.isNaN(d.getTime()) && d.getTime() >= MIN_DATE && d.getTime() <= MAX_DATE, {
    message: 'Must be a date between the years 1 and 9999',
  });

/**
 * A calendar date, `YYYY-MM-DD`, that exists (`2026-02-30` does not), years 1–9999: a due for the
 * whole of that day wherever the caller is, not an instant.
 */
export const calendarDate = z.iso
  .date({ message: 'Must be a calendar date, YYYY-MM-DD' })
  .refine((d) => !d.startsWith('0000'), { message: 'Must be a date between the years 1 and 9999' })
  .meta({ example: '2026-01-16' });

/** Create and update take one kind of due: an instant (`dueAt`) or a date (`dueDate`). */
export const oneDue: [(input: { dueAt?: Date | null | undefined; dueDate?: string | null | undefined }) => boolean, { message: string; path: string[] }] = [
  (input) => input.dueAt == null || input.dueDate == null,
  { message: 'Give dueAt (an instant) or dueDate (a calendar date), not both', path: ['dueDate'] },
];

/** Free text for full-text search (websearch syntax: words, "phrases", -excluded, or). */
export const searchQuery = storableText
  .transform((s) => s.trim())
  .pipe(z.string().min(1, { message: 'Search must not be empty' }).max(200, { message: 'Search must be 200 characters or less' }));

export const taskSort = z.enum(TASK_SORTS);
export const sortOrder = z.enum(['asc', 'desc']);

// Building an Intl.DateTimeFormat to test a name took 8.6 % of the original routes' list (one per
// request, their APP_TIME_ZONE): names found good are remembered. Bounded, since clients choose them;
// unknown names are not kept.
const knownTimeZones = new Set<string>();
const MAX_KNOWN_TIME_ZONES = 1_000;

function isKnownTimeZone(name: string): boolean {
  if (knownTimeZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return false;
  }
  if (knownTimeZones.size < MAX_KNOWN_TIME_ZONES) knownTimeZones.add(name);
  return true;
}

/** An IANA zone name such as `Europe/Paris`; offsets like `+02:00` are refused (PostgreSQL reads them inverted). */
export const ianaTimeZone = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, { message: 'Must be an IANA time zone name such as Europe/Paris' })
  .refine(isKnownTimeZone, { message: 'Unknown time zone: use an IANA name such as Europe/Paris' });

/** A UTC timestamp; REST sends it as an ISO 8601 string, tRPC (superjson) as a Date. */
const timestamp = z.date().meta({ format: 'date-time', example: '2026-01-15T09:30:00.000Z' });

export const Task = z
  .object({
    id: z.number().int(),
    userId: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    completed: z.boolean(),
    completedAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    priority: taskPriority,
    dueAt: timestamp.nullable().meta({ description: 'Due at this instant; null when the task has no due or a date-only one' }),
    dueDate: z
      .string()
      .nullable()
      .meta({ format: 'date', description: 'Due during this whole day (YYYY-MM-DD), in whichever time zone it is read; null otherwise' }),
    tags: z.array(z.string()),
    version: z.number().int().meta({ description: 'Starts at 1 and grows by 1 on every change; the ETag carries it' }),
  })
  .meta({
    id: 'Task',
    example: {
      id: 42,
      userId: 'user_123',
      title: 'Buy milk',
      description: 'Two litres, semi-skimmed',
      completed: false,
      completedAt: null,
      createdAt: '2026-01-15T09:30:00.000Z',
      updatedAt: '2026-01-15T09:30:00.000Z',
      priority: 'medium',
      dueAt: '2026-01-16T17:00:00.000Z',
      dueDate: null,
      tags: ['errands'],
      version: 1,
    },
  });
export type Task = z.infer<typeof Task>;

export const ListTasksInput = z
  .object({
    status: taskStatusFilter.default('all'),
    /** One priority or several (any of them). */
    priority: z.union([taskPriority, z.array(taskPriority).min(1).max(3)]).optional(),
    /** One tag or several: tasks having all of them. */
    tag: z.union([taskTag, z.array(taskTag).min(1).max(TAGS_MAX)]).optional(),
    /** Due strictly before this instant; a date-only due counts from the start of its day in `timeZone`. */
    dueBefore: dateInput.optional(),
    /** Due at or after this instant (so dueAfter/dueBefore ranges tile without overlap); date-only dues as for dueBefore. */
    dueAfter: dateInput.optional(),
    /** true: not completed and due before now (a date-only due: before today in `timeZone`); false: all other tasks. */
    overdue: z.boolean().optional(),
    /** true: not completed and due during today in `timeZone` (an instant or that date); false: all other tasks. */
    dueToday: z.boolean().optional(),
    /** The IANA zone whose calendar date-only dues are read in (today, overdue, due filters and the dueAt order); UTC when absent. */
    timeZone: ianaTimeZone.optional(),
    /** Full-text search over title and description; ordered by relevance unless `sort` is given. */
    q: searchQuery.optional(),
    /** `dueAt` orders by the due of either kind: a date-only due at the start of its day in `timeZone`. */
    sort: taskSort.optional(),
    /** Defaults: desc for createdAt, updatedAt, priority (high first) and relevance; asc for dueAt and title. */
    order: sortOrder.optional(),
    /** Equal sort values: `id` (default) orders them by id in the sort's direction; `newest`, most recently created first (createdAt desc, then id desc). */
    ties: z.enum(TASK_TIE_ORDERS).optional(),
    limit: z.number().int().min(1).max(100).default(20),
    /** nextCursor of the previous page, with the same filters, sort and ties. */
    cursor: z.string().min(1).max(4096).nullish(),
    /**
     * Sent by TanStack Query's infinite queries (`trpc.tasks.list.infiniteQueryOptions`) with every page;
     * pages only run forward from a cursor, so `backward` is refused.
     */
    direction: z.literal('forward', { error: 'direction: only forward paging is supported (follow nextCursor)' }).optional(),
  })
  .strict()
  .default({ status: 'all', limit: 20 });
export type ListTasksInput = z.infer<typeof ListTasksInput>;

export const TaskPage = z
  .object({
    items: z.array(Task),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` to get the next page; null on the last page' }),
  })
  .meta({ id: 'TaskPage' });

export const TaskIdInput = z.object({ id: taskId }).strict();

export const CreateTaskInput = z
  .object({
    title: taskTitle,
    description: taskDescription.nullish(),
    priority: taskPriority.optional(),
    dueAt: dateInput.nullish(),
    /** A date-only due (the whole day); not together with dueAt. */
    dueDate: calendarDate.nullish(),
    tags: taskTags.optional(),
  })
  .strict()
  .refine(...oneDue)
  .meta({ examples: [{ title: 'Buy milk', description: 'Two litres, semi-skimmed', priority: 'medium', dueAt: '2026-01-16T17:00:00Z', tags: ['errands'] }] });

/** A task's version as its ETag and `expectedVersion` carry it: 1 on creation, +1 on every change. */
export const taskVersion = z.number().int().min(1).max(MAX_TASK_ID);

/** The fields an update may change: `tasks.update`'s, and a batch's `changes`. */
export const TaskChanges = z
  .object({
    title: taskTitle.optional(),
    description: taskDescription.nullable().optional(),
    completed: z.boolean().optional(),
    priority: taskPriority.optional(),
    /** Sets the due to this instant (clearing a date-only one); `null` clears the due. */
    dueAt: dateInput.nullable().optional(),
    /** Sets the due to this whole day (clearing an instant); `null` clears the due. */
    dueDate: calendarDate.nullable().optional(),
    /** Replaces the whole list; `[]` clears it. */
    tags: taskTags.optional(),
  })
  .strict();

const CHANGES_REQUIRED = 'At least one field (title, description, completed, priority, dueAt, dueDate, tags) must be provided';
const someChange = (changes: Record<string, unknown>) =>
  Object.entries(changes).some(([name, v]) => v !== undefined && name !== 'id' && name !== 'expectedVersion');

/** Given: the change applies only while the task is at this version; otherwise CONFLICT with the current task. */
const expectedVersion = taskVersion.optional();

export const UpdateTaskInput = z
  .object({ id: taskId, ...TaskChanges.shape, expectedVersion })
  .strict()
  .refine(someChange, { message: CHANGES_REQUIRED })
  .refine(...oneDue)
  .meta({ examples: [{ title: 'Buy oat milk', priority: 'high', tags: ['errands', 'today'] }] });

export const CompleteTaskInput = z
  .object({
    id: taskId,
    completed: z.boolean().default(true),
    expectedVersion,
  })
  .strict();

export const DeleteTaskInput = z.object({ id: taskId, expectedVersion }).strict();

export const DeleteTaskResult = z.object({ id: z.number().int(), deleted: z.literal(true) });

export const TaskStatsInput = z
  .object({
    /** What "today" means for dueToday, and for overdue date-only dues; UTC when absent. */
    timeZone: ianaTimeZone.optional(),
  })
  .strict()
  .default({});

export const TaskStats = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  completed: z.number().int(),
  /** Not completed and due before now (a date-only due: before today in the requested time zone). */
  overdue: z.number().int(),
  /** Not completed and due today in the requested time zone (an instant during it, or that date). */
  dueToday: z.number().int(),
});
