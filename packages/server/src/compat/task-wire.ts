// The original's task object: snake_case, `status` beside `completed`, fixed-width UTC timestamps,
// a date-only due as its date, and where the due stands today on the server's calendar.
import { calendarDate, dueStanding, taskId, taskPriority, type Task } from '@tasks/api';
import { z } from 'zod';
import { isoTimestamp } from './iso-timestamp.ts';

/**
 * Always `YYYY-MM-DDTHH:MM:SS.mmmZ` (24 characters), so comparing two as strings orders them as times.
 * `Date#toISOString` (and isoTimestamp) gives exactly this for years 0–9999, which is all PostgreSQL's millisecond
 * timestamps the procedures return can hold in practice.
 */
const fixedWidthTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  .meta({ format: 'date-time', examples: ['2026-11-24T10:15:30.123Z'] });

export const CompatTask = z
  .object({
    id: taskId,
    user_id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    status: z.enum(['incomplete', 'complete']),
    completed: z.boolean(),
    completed_at: fixedWidthTimestamp.nullable(),
    created_at: fixedWidthTimestamp,
    updated_at: fixedWidthTimestamp,
    priority: taskPriority,
    due_date: z
      .union([calendarDate, fixedWidthTimestamp])
      .nullable()
      .meta({ description: 'A date-only due as `YYYY-MM-DD`; a due at a precise instant as a fixed-width timestamp; null without a due.' }),
    is_overdue: z.boolean().meta({ description: "A date before today, or an instant before now; today is the server's calendar date (APP_TIME_ZONE, UTC by default)." }),
    is_due_today: z.boolean().meta({ description: "Due on today's date (an instant: its date in the server's time zone)." }),
    days_until_due: z.number().int().nullable().meta({ description: 'The due date minus today, in whole days (negative when overdue); null without a due.' }),
    tags: z.array(z.string()).meta({ description: 'Case-folded, distinct, in the order given.' }),
  })
  .meta({ description: 'A task in the original system’s wire format.' });
export type CompatTask = z.infer<typeof CompatTask>;


/** "Now" and the calendar it is read on: one per request, so every task of a list is read alike. */
export interface ServerCalendar {
  now: Date;
  timeZone: string;
}

export function toCompatTask(task: Task, calendar: ServerCalendar): CompatTask {
  const due = dueStanding(task, calendar.now, calendar.timeZone);
  return {
    id: task.id,
    user_id: task.userId,
    title: task.title,
    description: task.description,
    status: task.completed ? 'complete' : 'incomplete',
    completed: task.completed,
    completed_at: task.completedAt ? isoTimestamp(task.completedAt) : null,
    created_at: isoTimestamp(task.createdAt),
    updated_at: isoTimestamp(task.updatedAt),
    priority: task.priority,
    due_date: task.dueDate ?? (task.dueAt ? isoTimestamp(task.dueAt) : null),
    is_overdue: due.overdue,
    is_due_today: due.dueToday,
    days_until_due: due.daysUntilDue,
    tags: task.tags,
  };
}
