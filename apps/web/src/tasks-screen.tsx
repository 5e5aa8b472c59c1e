// The signed-in screen: counts, the new-task field, search and filters, the list, and one line of
// news (a refusal, or "Deleted … Undo").
import { useQueryClient } from '@tanstack/react-query';
import type { Task } from '@tasks/client';
import { useState } from 'react';
import { ListControls } from './list-controls.tsx';
import { useLiveChanges } from './live-changes.ts';
import { DEFAULT_FILTERS, listInput, type ListFilters } from './list-input.ts';
import { NewTask } from './new-task.tsx';
import type { Session } from './session.ts';
import { StatsHeader } from './stats-header.tsx';
import { TaskList } from './task-list.tsx';
import { useCompleteTask, useCreateTask } from './task-mutations.ts';

type Notice = { kind: 'deleted'; task: Task } | { kind: 'refused'; message: string } | null;

export function TasksScreen({ session }: { session: Session }) {
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<ListFilters>(DEFAULT_FILTERS);
  const [notice, setNotice] = useState<Notice>(null);
  const recreate = useCreateTask();
  const complete = useCompleteTask();
  useLiveChanges();
  const filtered = JSON.stringify({ ...filters, sort: '' }) !== JSON.stringify({ ...DEFAULT_FILTERS, sort: '' });

  const signOut = () => {
    queryClient.clear();
    session.signOut();
  };
  // Undo puts back a copy with the same fields (the server gives it a new id).
  const undo = (task: Task) => {
    setNotice(null);
    recreate.mutate(
      { title: task.title, description: task.description, priority: task.priority, dueAt: task.dueAt, dueDate: task.dueDate, tags: task.tags },
      {
        onSuccess: (copy) => task.completed && complete.mutate({ id: copy.id }),
        onError: () => setNotice({ kind: 'refused', message: `Could not restore “${task.title}”` }),
      },
    );
  };

  return (
    <div className="screen">
      <header className="top">
        <h1>Tasks</h1>
        <p className="who">{session.current()?.email ?? 'Signed in with a token'}</p>
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      <main>
        <StatsHeader />
        <NewTask />
        <ListControls filters={filters} onChange={setFilters} />
        <div className="notice" role="status" aria-live="polite">
          {notice?.kind === 'deleted' ? (
            <>
              Deleted “{notice.task.title}”. <button type="button" onClick={() => undo(notice.task)}>Undo</button>
            </>
          ) : null}
          {notice?.kind === 'refused' ? <span className="error">{notice.message}</span> : null}
        </div>
        <TaskList
          input={listInput(filters)}
          filtered={filtered}
          onDeleted={(task) => setNotice({ kind: 'deleted', task })}
          onRefused={(message) => setNotice({ kind: 'refused', message })}
        />
      </main>
    </div>
  );
}
