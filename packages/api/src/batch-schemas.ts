// The batch of task changes (`tasks.batch`, `POST /api/tasks/batch`): up to 100 operations applied in
// one transaction, all or nothing. A create may carry a temporary id that later operations use.
import { z } from 'zod';
import { CreateTaskInput, oneDue, storableText, Task, TaskChanges, taskId, taskVersion } from './schemas.ts';

export const BATCH_MAX = 100;

const tempId = storableText.min(1).max(64).meta({ description: 'A name for the task this batch creates, for later operations of the same batch' });

/** An operation names its task by `id`, or by the `tempId` of an earlier create. */
const target = { id: taskId.optional(), tempId: tempId.optional() };
const oneTarget = (op: { id?: number | undefined; tempId?: string | undefined }) => (op.id === undefined) !== (op.tempId === undefined);
const TARGET_MESSAGE = 'Name the task by id or by the tempId of an earlier create (one of them)';
const expectedVersion = taskVersion.optional().meta({ description: 'Apply only at this version (otherwise 409 with the current task)' });

export const BatchOperation = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), tempId: tempId.optional(), task: CreateTaskInput }).strict(),
  z
    .object({
      op: z.literal('update'),
      ...target,
      changes: TaskChanges.refine((changes) => Object.values(changes).some((v) => v !== undefined), { message: 'At least one field must change' }).refine(...oneDue),
      expectedVersion,
    })
    .strict()
    .refine(oneTarget, { message: TARGET_MESSAGE, path: ['id'] }),
  z
    .object({ op: z.literal('complete'), ...target, completed: z.boolean().default(true), expectedVersion })
    .strict()
    .refine(oneTarget, { message: TARGET_MESSAGE, path: ['id'] }),
  z.object({ op: z.literal('delete'), ...target, expectedVersion }).strict().refine(oneTarget, { message: TARGET_MESSAGE, path: ['id'] }),
]);
export type BatchOperation = z.output<typeof BatchOperation>;

export const BatchInput = z
  .object({
    operations: z
      .array(BatchOperation)
      .min(1, { message: 'A batch needs at least one operation' })
      .max(BATCH_MAX, { message: `At most ${BATCH_MAX} operations in one batch` }),
  })
  .strict()
  .meta({
    examples: [
      {
        operations: [
          { op: 'create', tempId: 'a', task: { title: 'Buy milk' } },
          { op: 'update', id: 5, changes: { priority: 'high' } },
          { op: 'complete', tempId: 'a' },
          { op: 'delete', id: 7 },
        ],
      },
    ],
  });

export const BatchResult = z
  .object({
    results: z.array(
      z.object({
        op: z.enum(['create', 'update', 'complete', 'delete']),
        tempId: z.string().optional(),
        id: z.number().int(),
        /** The task after the operation; absent for a delete. */
        task: Task.optional(),
      }),
    ),
  })
  .meta({ id: 'BatchResult' });
export type BatchResult = z.output<typeof BatchResult>;
