// Each line marked WRONG must fail to compile; outside-project.test.ts checks exactly those lines.
import { createTasksClient } from '@tasks/client';

const client = createTasksClient({ url: 'http://localhost:8000/trpc', token: 't' });

export async function misuse() {
  await client.tasks.create.mutate({ title: 42 }); // WRONG: title is a string
  await client.tasks.get.query({ id: '7' }); // WRONG: id is a number
  await client.tasks.list.query({ status: 'done' }); // WRONG: no such status
  const task = await client.tasks.get.query({ id: 1 });
  const title: number = task.title; // WRONG: title is a string
  return title;
}
