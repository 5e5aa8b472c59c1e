// Compiled by client.test.ts, which expects exactly these lines to fail to type-check.
import { createTasksClient } from '../src/index.ts';

const client = createTasksClient({ url: 'http://localhost:8000/trpc', token: 't' });

export async function misuse() {
  await client.tasks.create.mutate({ title: 42 }); // WRONG: title is a string
  await client.tasks.get.query({ id: '7' }); // WRONG: id is a number
  await client.tasks.complete.mutate({ id: 1, completed: 'yes' }); // WRONG: completed is a boolean
  await client.tasks.nope.query(); // WRONG: no such procedure
}
