// The "New task" field: Enter adds the task at once (optimistically); the other fields are optional.
import { useState, type FormEvent } from 'react';
import { FieldError } from './field-error.tsx';
import { describeRefusal, fieldMessage } from './server-errors.ts';
import { createInput, EMPTY_DRAFT, type TaskDraft } from './task-draft.ts';
import { TaskFields } from './task-fields.tsx';
import { useCreateTask } from './task-mutations.ts';

export function NewTask() {
  const [draft, setDraft] = useState<TaskDraft>(EMPTY_DRAFT);
  const create = useCreateTask();
  const refusal = create.error ? describeRefusal(create.error) : null;
  const titleError = fieldMessage(refusal, 'title');
  const otherError = refusal && !titleError && Object.keys(refusal.fields).length === 0 ? refusal.message : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.title.trim()) return;
    const sent = draft;
    // Cleared at once for the next task; given back when the server refuses, to fix and resend.
    setDraft({ ...EMPTY_DRAFT, priority: draft.priority });
    create.mutate(createInput(sent), { onError: () => setDraft(sent) });
  };

  return (
    <form className="new-task" onSubmit={submit} aria-label="Add a task">
      <label htmlFor="new-task">New task</label>
      <input
        id="new-task"
        value={draft.title}
        onChange={(e) => setDraft({ ...draft, title: e.target.value })}
        placeholder="What needs doing? Press Enter to add"
        aria-invalid={Boolean(titleError)}
        aria-describedby="new-task-error"
        autoComplete="off"
      />
      <FieldError id="new-task-error" message={titleError ?? otherError} />
      <details>
        <summary>More options</summary>
        <TaskFields id="new" draft={draft} onChange={setDraft} refusal={refusal} withTitle={false} />
        <button type="submit">Add task</button>
      </details>
    </form>
  );
}
