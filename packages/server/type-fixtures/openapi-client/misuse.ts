// Compiled with lifecycle.ts by openapi-client.test.ts, which expects exactly the lines marked WRONG
// to fail against the generated types: the document, not only the server, refuses these calls.
import type { TasksClient } from './lifecycle.ts';

export async function misuse(api: TasksClient): Promise<void> {
  await api.POST('/api/tasks', { body: { title: 42 } }); // WRONG: title is a string
  await api.GET('/api/tasks/{id}', { params: { path: { id: '7' } } }); // WRONG: id is a number
  await api.GET('/api/tasks', { params: { query: { status: 'done' } } }); // WRONG: no such status filter
  await api.PATCH('/api/tasks/{id}/complete', { params: { path: { id: 1 } }, body: { completed: 'yes' } }); // WRONG: completed is a boolean
  await api.DELETE('/api/tasks'); // WRONG: the collection has no DELETE
}
