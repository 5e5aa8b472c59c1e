// Browser-safe app code on @tasks/client: type-checked with the DOM library and no Node types.
import { createTasksClient, type Task, type TasksClient } from '@tasks/client';

export function connect(url: string, token: () => string | undefined): TasksClient {
  return createTasksClient({ url, token });
}

export async function roundTrip(client: TasksClient) {
  const task: Task = await client.tasks.create.mutate({ title: 'Buy milk', tags: ['home'] });
  const done = await client.tasks.complete.mutate({ id: task.id });
  const { items, nextCursor } = await client.tasks.list.query({ status: 'completed', limit: 10 });

  // The outputs are inferred, not `any`: with `any` these directives would have nothing to expect.
  // @ts-expect-error createdAt is a Date
  const createdAt: string = task.createdAt;
  // @ts-expect-error there is no such procedure
  void client.tasks.nope;

  return {
    createdIsDate: task.createdAt instanceof Date && typeof createdAt === 'object',
    completedIsDate: done.completedAt instanceof Date,
    listed: items.map((i) => i.title),
    nextCursor,
  };
}
