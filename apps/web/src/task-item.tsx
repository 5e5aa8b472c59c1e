// One task: its checkbox (named by its title) completes or reopens it; Edit opens its form in place;
// Delete removes it (the screen offers Undo).
import type { Task } from '@tasks/client';
import { useState, type FormEvent } from 'react';
import { formatDue, formatDueDate, isOverdue } from './format.ts';
import { describeRefusal } from './server-errors.ts';
import { draftOf, updateInput, type TaskDraft } from './task-draft.ts';
import { TaskFields } from './task-fields.tsx';
import { useCompleteTask, useDeleteTask, useUpdateTask } from './task-mutations.ts';

interface Props {
  task: Task;
  onDeleted: (task: Task) => void;
  onRefused: (message: string) => void;
}

export function TaskItem({ task, onDeleted, onRefused }: Props) {
  const [draft, setDraft] = useState<TaskDraft | null>(null);
  const complete = useCompleteTask();
  const refused = (error: unknown) => onRefused(describeRefusal(error).message);
  const remove = useDeleteTask({ deleted: () => onDeleted(task), refused });
  const update = useUpdateTask();
  const saving = task.id < 0;
  const checkboxId = `task-${task.id}-done`;

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    update.mutate(updateInput(task.id, draft), { onSuccess: () => setDraft(null) });
  };

  if (draft) {
    const refusal = update.error ? describeRefusal(update.error) : null;
    return (
      <li className="task editing">
        <form onSubmit={save} aria-label={`Edit “${task.title}”`}>
          <TaskFields id={`edit-${task.id}`} draft={draft} onChange={setDraft} refusal={refusal} withTitle />
          {refusal && Object.keys(refusal.fields).length === 0 ? <p role="alert" className="error">{refusal.message}</p> : null}
          <div className="buttons">
            <button type="submit" disabled={update.isPending}>Save</button>
            <button type="button" onClick={() => { update.reset(); setDraft(null); }}>Cancel</button>
          </div>
        </form>
      </li>
    );
  }

  return (
    <li className={`task${task.completed ? ' done' : ''}`} aria-busy={saving || undefined}>
      <input
        id={checkboxId}
        type="checkbox"
        checked={task.completed}
        disabled={saving}
        onChange={(e) => complete.mutate({ id: task.id, completed: e.target.checked }, { onError: refused })}
      />
      <div className="task-body">
        <label htmlFor={checkboxId} className="title">{task.title}</label>
        {task.description ? <p className="description">{task.description}</p> : null}
        <p className="meta">
          <span className={`priority ${task.priority}`}>{task.priority}</span>
          {task.dueAt || task.dueDate ? (
            <span className={isOverdue(task) ? 'due overdue' : 'due'}>
              {isOverdue(task) ? 'Overdue: ' : 'Due '}
              {task.dueAt ? formatDue(task.dueAt) : formatDueDate(task.dueDate!)}
            </span>
          ) : null}
          {task.tags.map((tag) => <span key={tag} className="tag">#{tag}</span>)}
        </p>
      </div>
      <div className="buttons">
        <button type="button" disabled={saving} onClick={() => setDraft(draftOf(task))} aria-label={`Edit “${task.title}”`}>Edit</button>
        <button
          type="button"
          disabled={saving}
          onClick={() => remove.mutate({ id: task.id })}
          aria-label={`Delete “${task.title}”`}
        >
          Delete
        </button>
      </div>
    </li>
  );
}
