// Stats in one statement whose cost does not grow with the number of tasks: totals come from the
// trigger-kept counters, overdue from per-day pending counts plus today's rows, dueToday from an
// index range of one day (migration 0002).
import { sql } from 'kysely';
import type { Db } from './tasks-queries.ts';

export interface TaskStats {
  total: number;
  pending: number;
  completed: number;
  /** Not completed and due before now. */
  overdue: number;
  /** Not completed and due during today in the given time zone. */
  dueToday: number;
}

const dueOrLast = sql`coalesce(due_at, 'infinity'::timestamptz)`;
const startOfUtcToday = sql`((now() at time zone 'UTC')::date::timestamp at time zone 'UTC')`;

/**
 * Counts for the user's tasks; `timeZone` (an IANA name PostgreSQL knows) decides what "today" is.
 *
 * @example
 * await taskStats(db, 'u1', 'Europe/Paris');
 * // select (select total from task_counts where user_id = $1) …,
 * //   (select sum(pending) from task_due_counts where user_id = $2 and due_day < utc today)
 * //   + (select count(*) from tasks where user_id = $3 and not completed and due in [utc today, now)) as overdue, …
 */
export async function taskStats(db: Db, userId: string, timeZone = 'UTC'): Promise<TaskStats> {
  const localDay = sql`(now() at time zone ${timeZone})::date`;
  const startOfToday = sql`(${localDay}::timestamp at time zone ${timeZone})`;
  const startOfTomorrow = sql`((${localDay} + 1)::timestamp at time zone ${timeZone})`;
  const { rows } = await sql<{ total: number; completed: number; overdue: number; dueToday: number }>`
    select
      coalesce((select total from task_counts where user_id = ${userId}), 0)::int as total,
      coalesce((select completed from task_counts where user_id = ${userId}), 0)::int as completed,
      ((select coalesce(sum(pending), 0) from task_due_counts
          where user_id = ${userId} and due_day < (now() at time zone 'UTC')::date)
        + (select count(*) from tasks
          where user_id = ${userId} and not completed and ${dueOrLast} >= ${startOfUtcToday} and ${dueOrLast} < now())
      )::int as overdue,
      (select count(*) from tasks
        where user_id = ${userId} and not completed and ${dueOrLast} >= ${startOfToday} and ${dueOrLast} < ${startOfTomorrow}
      )::int as "dueToday"`.execute(db);
  const row = rows[0] ?? { total: 0, completed: 0, overdue: 0, dueToday: 0 };
  return { total: row.total, pending: row.total - row.completed, completed: row.completed, overdue: row.overdue, dueToday: row.dueToday };
}
