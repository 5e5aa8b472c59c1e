// How dates read in the list: the browser's locale and time zone.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDue(dueAt: Date): string {
  return dateTime.format(dueAt);
}

export function isOverdue(task: { dueAt: Date | null; completed: boolean }, now = new Date()): boolean {
  return !task.completed && task.dueAt !== null && task.dueAt < now;
}
