// Create, update, complete and delete, each shown at once (optimistic) and rolled back when the
// server refuses; the component reads `error` to say why.
import { useMutation } from '@tanstack/react-query';
import type { Task } from '@tasks/client';
import { useTRPC } from '@tasks/client/react-query';
import { prependTask, removeTask, replaceTask, useListCache, type ListSnapshot } from './task-cache.ts';
import type { CreateInput } from './task-draft.ts';

interface Rollback {
  snapshot: ListSnapshot;
}

let placeholderId = 0;

/** What the new task will look like, until the server's answer replaces it (a negative id marks it). */
function placeholder(input: CreateInput): Task {
  const now = new Date();
  return {
    id: --placeholderId,
    userId: '',
    title: input.title.trim(),
    description: input.description ?? null,
    completed: false,
    completedAt: null,
    createdAt: now,
    updatedAt: now,
    priority: input.priority ?? 'medium',
    dueAt: input.dueAt ? new Date(input.dueAt) : null,
    dueDate: input.dueDate ?? null,
    tags: input.tags ?? [],
    version: 1,
  };
}

export function useCreateTask() {
  const trpc = useTRPC();
  const cache = useListCache();
  return useMutation(
    trpc.tasks.create.mutationOptions({
      onMutate: async (input): Promise<Rollback> => ({ snapshot: await cache.edit((pages) => prependTask(pages, placeholder(input))) }),
      onError: (_error, _input, rollback) => cache.restore(rollback?.snapshot),
      onSettled: () => cache.settle(),
    }),
  );
}

export function useUpdateTask() {
  const trpc = useTRPC();
  const cache = useListCache();
  return useMutation(
    trpc.tasks.update.mutationOptions({
      onMutate: async ({ id, ...changes }): Promise<Rollback> => ({
        snapshot: await cache.edit((pages) =>
          replaceTask(pages, id, (task) => ({
            ...task,
            ...(changes.title !== undefined ? { title: changes.title.trim() } : {}),
            ...(changes.description !== undefined ? { description: changes.description } : {}),
            ...(changes.priority !== undefined ? { priority: changes.priority } : {}),
            // One kind of due at a time: setting either clears the other.
            ...(changes.dueAt != null ? { dueAt: new Date(changes.dueAt), dueDate: null } : {}),
            ...(changes.dueDate != null ? { dueDate: changes.dueDate, dueAt: null } : {}),
            ...(changes.dueAt === null && changes.dueDate === null ? { dueAt: null, dueDate: null } : {}),
            ...(changes.tags !== undefined ? { tags: changes.tags } : {}),
          })),
        ),
      }),
      onError: (_error, _input, rollback) => cache.restore(rollback?.snapshot),
      onSettled: () => cache.settle(),
    }),
  );
}

export function useCompleteTask() {
  const trpc = useTRPC();
  const cache = useListCache();
  return useMutation(
    trpc.tasks.complete.mutationOptions({
      onMutate: async ({ id, completed = true }): Promise<Rollback> => ({
        snapshot: await cache.edit((pages) =>
          replaceTask(pages, id, (task) => ({ ...task, completed, completedAt: completed ? new Date() : null })),
        ),
      }),
      onError: (_error, _input, rollback) => cache.restore(rollback?.snapshot),
      onSettled: () => cache.settle(),
    }),
  );
}

/**
 * The outcome goes to `on`, given here rather than to `mutate`: the task's row leaves the list (and
 * unmounts) at once, and TanStack Query drops a `mutate` call's callbacks when its component unmounts.
 */
export function useDeleteTask(on: { deleted: () => void; refused: (error: unknown) => void }) {
  const trpc = useTRPC();
  const cache = useListCache();
  return useMutation(
    trpc.tasks.delete.mutationOptions({
      onMutate: async ({ id }): Promise<Rollback> => ({ snapshot: await cache.edit((pages) => removeTask(pages, id)) }),
      onSuccess: () => on.deleted(),
      onError: (error, _input, rollback) => {
        cache.restore(rollback?.snapshot);
        on.refused(error);
      },
      onSettled: () => cache.settle(),
    }),
  );
}
