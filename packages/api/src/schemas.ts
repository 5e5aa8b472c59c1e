// One zod schema per concept, shared by the tRPC procedures, the REST bridge and the client's types.
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

/** Task ids are PostgreSQL `integer` identities: 1 … 2^31-1. */
export const taskId = z.number().int().min(1).max(2_147_483_647);

export const taskStatusFilter = z.enum(['all', 'pending', 'completed']);

export const Task = z.object({
  id: z.number().int(),
  userId: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  completed: z.boolean(),
  completedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Task = z.infer<typeof Task>;

export const ListTasksInput = z
  .object({
    status: taskStatusFilter.default('all'),
    limit: z.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(512).nullish(),
  })
  .strict()
  .default({ status: 'all', limit: 20 });

export const TaskPage = z.object({
  items: z.array(Task),
  nextCursor: z.string().nullable(),
});

export const TaskIdInput = z.object({ id: taskId }).strict();

export const CreateTaskInput = z
  .object({
    title: taskTitle,
    description: taskDescription.nullish(),
  })
  .strict();

export const UpdateTaskInput = z
  .object({
    id: taskId,
    title: taskTitle.optional(),
    description: taskDescription.nullable().optional(),
    completed: z.boolean().optional(),
  })
  .strict()
  .refine((v) => v.title !== undefined || v.description !== undefined || v.completed !== undefined, {
    message: 'At least one field (title, description, completed) must be provided',
  });

export const CompleteTaskInput = z
  .object({
    id: taskId,
    completed: z.boolean().default(true),
  })
  .strict();

export const DeleteTaskResult = z.object({ id: z.number().int(), deleted: z.literal(true) });
