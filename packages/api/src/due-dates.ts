// Where a task's due stands against "now" on one calendar: the original routes' computed fields
// (SEED-CONTRACT.md, "Date-only due dates"), for either kind of due.
import type { Task } from './schemas.ts';

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (`YYYY-MM-DD`) an instant falls on in an IANA zone. */
export function calendarDay(instant: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(instant);
}

/** Whole days from one calendar date to another (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export interface DueStanding {
  /** A date-only due before today; an instant before now. */
  overdue: boolean;
  /** Due on today's date (an instant whose date, in the zone, is today). */
  dueToday: boolean;
  /** The due's date minus today's, in whole days (negative when past); null without a due. */
  daysUntilDue: number | null;
}

/**
 * How a task's due stands at `now` on `timeZone`'s calendar. Completion plays no part: these describe
 * the due date, as the original's fields did.
 *
 * @example
 * dueStanding({ dueAt: null, dueDate: '2026-12-01' }, new Date('2026-12-03T10:00:00Z'), 'UTC');
 * // { overdue: true, dueToday: false, daysUntilDue: -2 }
 */
export function dueStanding(task: Pick<Task, 'dueAt' | 'dueDate'>, now: Date, timeZone: string): DueStanding {
  const day = task.dueDate ?? (task.dueAt ? calendarDay(task.dueAt, timeZone) : null);
  if (day === null) return { overdue: false, dueToday: false, daysUntilDue: null };
  const days = daysBetween(today(now, timeZone), day);
  return { overdue: task.dueAt ? task.dueAt < now : days < 0, dueToday: days === 0, daysUntilDue: days };
}

// A list reads every task against one "now": its date is formatted once, not once per task.
let lastToday: { at: number; timeZone: string; day: string } | undefined;
function today(now: Date, timeZone: string): string {
  const at = now.getTime();
  if (lastToday?.at !== at || lastToday.timeZone !== timeZone) lastToday = { at, timeZone, day: calendarDay(now, timeZone) };
  return lastToday.day;
}
