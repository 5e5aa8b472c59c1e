// Stats in one statement whose cost does not grow with the number of tasks: totals come from the
// trigger-kept counters, overdue from per-day pending counts plus today's rows, dueToday from an
// index range of one day (migration 0002); date-only dues from their per-date counts (migration 0006).
import { sql } from 'kysely';
import type { Db } from './tasks-queries.ts';

export interface TaskStats {
  total: number;
  pending: number;
  completed: number;
  /** Not completed and due before now; a date-only due, before today in the given time zone. */
  overdue: number;
  /** Not completed and due during today in the given time zone (either kind of due). */
  dueToday: number;
}

// The key of 0006's index, for UTC: an instant's key is the instant, so with `due_at is not null`
// a range of it is a range of instants.
const dueOrLast = sql`coalesce(due_at, timezone('UTC'::text, due_date::timestamp), 'infinity'::timestamptz)`;

/**
 * Counts for the user's tasks; `timeZone` (an IANA name PostgreSQL knows) decides what "today" is,
 * `now` what "now" is (the database's clock when absent).
 *
 * @example
 * await taskStats(db, 'u1', 'Europe/Paris', new Date());
 * // select (select total from task_counts where user_id = $1) …,
 * //   (select sum(pending) from task_due_counts where user_id = $2 and due_day < utc today)
 * //   + (select count(*) from tasks where user_id = $3 and not completed and due in [utc today, now))
 * //   + (select sum(pending) from task_due_date_counts where user_id = $4 and due_date < local today) as overdue, …
 */
export async function taskStats(db: Db, userId: string, timeZone = 'UTC', now?: Date): Promise<TaskStats> {
  const at = now ? sql`${now}::timestamptz` : sql`now()`;
  const utcDay = sql`(${at} at time zone 'UTC')::date`;
  const startOfUtcToday = sql`(${utcDay}::timestamp at time zone 'UTC')`;
  const localDay = sql`(${at} at time zone ${timeZone}::text)::date`;
  const startOfToday = sql`(${localDay}::timestamp at time zone ${timeZone}::text)`;
  const startOfTomorrow = sql`((${localDay} + 1)::timestamp at time zone ${timeZone}::text)`;
  const { rows } = await sql<{ total: number; completed: number; overdue: number; dueToday: number }>`
    select
      coalesce((select total from task_counts where user_id = ${userId}), 0)::int as total,
      coalesce((select completed from task_counts where user_id = ${userId}), 0)::int as completed,
      ((select coalesce(sum(pending), 0) from task_due_counts
          where user_id = ${userId} and due_day < ${utcDay})
        + (select count(*) from tasks
          where user_id = ${userId} and not completed and due_at is not null and ${dueOrLast} >= ${startOfUtcToday} and ${dueOrLast} < ${at})
        + (select coalesce(sum(pending), 0) from task_due_date_counts where user_id = ${userId} and due_date < ${localDay})
      )::int as overdue,
      ((select count(*) from tasks
          where user_id = ${userId} and not completed and due_at is not null and ${dueOrLast} >= ${startOfToday} and ${dueOrLast} < ${startOfTomorrow})
        + (select coalesce(sum(pending), 0) from task_due_date_counts where user_id = ${userId} and due_date = ${localDay})
      )::int as "dueToday"`.execute(db);
  const row = rows[0] ?? { total: 0, completed: 0, overdue: 0, dueToday: 0 };
  return { total: row.total, pending: row.total - row.completed, completed: row.completed, overdue: row.overdue, dueToday: row.dueToday };
}
