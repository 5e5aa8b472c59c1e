// How dates read in the list: the browser's locale and time zone.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDue(dueAt: Date): string {
  return dateTime.format(dueAt);
}

/** A date-only due as a date, in the browser's locale (it is that day wherever it is read). */
export function formatDueDate(dueDate: string): string {
  const [year, month, day] = dueDate.split('-').map(Number);
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(year!, month! - 1, day!));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Past due: an instant before now, or a date before today in the browser's calendar (due today is not overdue). */
export function isOverdue(task: { dueAt: Date | null; dueDate: string | null; completed: boolean }, now = new Date()): boolean {
  if (task.completed) return false;
  if (task.dueAt) return task.dueAt < now;
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return task.dueDate !== null && task.dueDate < today;
}
