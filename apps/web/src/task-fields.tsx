// The fields of a task's form (the new task's extra options, and editing a task), each with the
// server's message for it beside it.
import { FieldError } from './field-error.tsx';
import { fieldMessage, type Refusal } from './server-errors.ts';
import type { DueKind, Priority, TaskDraft } from './task-draft.ts';

interface Props {
  /** Prefix of the inputs' ids, unique on the page. */
  id: string;
  draft: TaskDraft;
  onChange: (draft: TaskDraft) => void;
  refusal: Refusal | null;
  /** The new-task form has its own title field ("New task"). */
  withTitle: boolean;
}

export function TaskFields({ id, draft, onChange, refusal, withTitle }: Props) {
  const set = <K extends keyof TaskDraft>(key: K, value: TaskDraft[K]) => onChange({ ...draft, [key]: value });
  const field = (name: string) => {
    const message = fieldMessage(refusal, name);
    return { id: `${id}-${name}`, 'aria-invalid': Boolean(message), 'aria-describedby': `${id}-${name}-error`, message };
  };
  const title = field('title');
  const description = field('description');
  const priority = field('priority');
  const due = field('dueAt');
  const dueDate = field('dueDate');
  const tags = field('tags');
  return (
    <div className="task-fields">
      {withTitle ? (
        <div>
          <label htmlFor={title.id}>Title</label>
          <input id={title.id} value={draft.title} onChange={(e) => set('title', e.target.value)} aria-invalid={title['aria-invalid']} aria-describedby={title['aria-describedby']} />
          <FieldError id={`${title.id}-error`} message={title.message} />
        </div>
      ) : null}
      <div>
        <label htmlFor={description.id}>Description</label>
        <textarea id={description.id} rows={2} value={draft.description} onChange={(e) => set('description', e.target.value)} aria-invalid={description['aria-invalid']} aria-describedby={description['aria-describedby']} />
        <FieldError id={`${description.id}-error`} message={description.message} />
      </div>
      <div>
        <label htmlFor={priority.id}>Priority</label>
        <select id={priority.id} value={draft.priority} onChange={(e) => set('priority', e.target.value as Priority)} aria-invalid={priority['aria-invalid']} aria-describedby={priority['aria-describedby']}>
          <option value="high">High</option>
          <option value="medium">Medium</option>
          <option value="low">Low</option>
        </select>
        <FieldError id={`${priority.id}-error`} message={priority.message} />
      </div>
      <fieldset>
        <legend>Due</legend>
        <label htmlFor={`${due.id}-kind`}>Due date kind</label>
        <select id={`${due.id}-kind`} value={draft.dueKind} onChange={(e) => set('dueKind', e.target.value as DueKind)}>
          <option value="none">No due date</option>
          <option value="date">Date</option>
          <option value="datetime">Date and time</option>
        </select>
        {draft.dueKind === 'date' ? (
          <>
            <label htmlFor={`${due.id}-date`}>Due on</label>
            <input id={`${due.id}-date`} type="date" value={draft.dueDate} onChange={(e) => set('dueDate', e.target.value)} aria-invalid={Boolean(dueDate.message)} aria-describedby={due['aria-describedby']} />
          </>
        ) : null}
        {draft.dueKind === 'datetime' ? (
          <>
            <label htmlFor={due.id}>Due at</label>
            <input id={due.id} type="datetime-local" value={draft.dueAt} onChange={(e) => set('dueAt', e.target.value)} aria-invalid={due['aria-invalid']} aria-describedby={due['aria-describedby']} />
          </>
        ) : null}
        <FieldError id={`${due.id}-error`} message={due.message ?? dueDate.message} />
      </fieldset>
      <div>
        <label htmlFor={tags.id}>Tags</label>
        <input id={tags.id} value={draft.tags} onChange={(e) => set('tags', e.target.value)} placeholder="home, errands" aria-invalid={tags['aria-invalid']} aria-describedby={`${tags.id}-hint ${tags['aria-describedby']}`} />
        <p id={`${tags.id}-hint`} className="hint">Separate tags with commas.</p>
        <FieldError id={`${tags.id}-error`} message={tags.message} />
      </div>
    </div>
  );
}
