// A task as its form holds it (strings, as inputs give them), and the create/update input built from
// it. A due is one of two kinds, never both: an instant (`dueAt`, a date and a time) or a calendar
// date (`dueDate`, the whole day wherever it is read); `dueChange` is the one place that maps them.
import type { RouterInputs, Task } from '@tasks/client';

export type DueKind = 'none' | 'datetime' | 'date';
export type Priority = Task['priority'];

export interface TaskDraft {
  title: string;
  description: string;
  priority: Priority;
  dueKind: DueKind;
  /** `YYYY-MM-DDTHH:mm` in the browser's time zone, as `<input type="datetime-local">` gives it. */
  dueAt: string;
  /** `YYYY-MM-DD`, as `<input type="date">` gives it. */
  dueDate: string;
  /** Comma-separated, as typed. */
  tags: string;
}

export type CreateInput = RouterInputs['tasks']['create'];
export type UpdateInput = RouterInputs['tasks']['update'];

export const EMPTY_DRAFT: TaskDraft = { title: '', description: '', priority: 'medium', dueKind: 'none', dueAt: '', dueDate: '', tags: '' };

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date as `datetime-local` shows it: the browser's wall-clock time, to the minute. */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function draftOf(task: Task): TaskDraft {
  return {
    title: task.title,
    description: task.description ?? '',
    priority: task.priority,
    dueKind: task.dueAt ? 'datetime' : task.dueDate ? 'date' : 'none',
    dueAt: task.dueAt ? toLocalInput(task.dueAt) : '',
    dueDate: task.dueDate ?? '',
    tags: task.tags.join(', '),
  };
}

/** Setting one kind clears the other on the server; "no due date" clears both. */
function dueChange(draft: TaskDraft): Pick<UpdateInput, 'dueAt' | 'dueDate'> {
  if (draft.dueKind === 'datetime' && draft.dueAt) {
    // `new Date('YYYY-MM-DDTHH:mm')` reads it as local time, which is what the person picked.
    return { dueAt: new Date(draft.dueAt) };
  }
  if (draft.dueKind === 'date' && draft.dueDate) return { dueDate: draft.dueDate };
  return { dueAt: null, dueDate: null };
}

/** Tags as typed; the server trims, folds case and drops repeats, and says which one it refuses. */
export function parseTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}

export function createInput(draft: TaskDraft): CreateInput {
  const tags = parseTags(draft.tags);
  return {
    title: draft.title,
    ...(draft.description ? { description: draft.description } : {}),
    priority: draft.priority,
    ...(draft.dueKind === 'none' ? {} : dueChange(draft)),
    ...(tags.length ? { tags } : {}),
  };
}

/** Every field of the form, so clearing one (an empty description, no due date) is sent as a change. */
export function updateInput(id: number, draft: TaskDraft): UpdateInput {
  return {
    id,
    title: draft.title,
    description: draft.description === '' ? null : draft.description,
    priority: draft.priority,
    ...dueChange(draft),
    tags: parseTags(draft.tags),
  };
}
