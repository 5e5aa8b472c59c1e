// The changes feed and live events (issue #22): one schema each, shared by tRPC, REST and the client.
import { z } from 'zod';
import { Task, taskId } from './schemas.ts';

export const CHANGES_PAGE_MAX = 1000;

/** Opaque: `nextToken` of a changes page, or the id of an event. */
export const syncToken = z.string().min(1).max(512);

export const TaskChangesInput = z
  .object({
    /** Absent: a full sync (every current task), then a token to continue from. */
    since: syncToken.optional(),
    limit: z.number().int().min(1).max(CHANGES_PAGE_MAX).default(CHANGES_PAGE_MAX),
  })
  .strict()
  .default({ limit: CHANGES_PAGE_MAX });
export type TaskChangesInput = z.infer<typeof TaskChangesInput>;

export const TaskTombstone = z
  .object({
    id: taskId,
    deleted: z.literal(true),
    deletedAt: z.date().meta({ format: 'date-time', example: '2026-01-15T09:30:00.000Z' }),
  })
  .meta({ id: 'TaskTombstone', description: 'A task deleted since the token' });

/** A created or changed task in full (the shape `get` answers), or a deleted one's tombstone. */
export const TaskChange = z.union([Task, TaskTombstone]).meta({ id: 'TaskChange' });
export type TaskChange = z.infer<typeof TaskChange>;

export const TaskChangesPage = z
  .object({
    changes: z.array(TaskChange),
    nextToken: syncToken.meta({ description: 'Pass as `since` for what changes next' }),
    hasMore: z.boolean().meta({ description: 'More changes are ready now: call again with nextToken at once' }),
    reset: z.boolean().meta({ description: 'This page starts a full sync: drop the tasks you held and keep these' }),
  })
  .meta({ id: 'TaskChangesPage' });

export const TaskEventsInput = z
  .object({
    /** Resume after this event (an event id or a `nextToken`); absent: from now on. */
    lastEventId: syncToken.nullish(),
  })
  .strict()
  .optional();
