// The REST surface's lifecycle through openapi-fetch, typed by the types openapi-typescript makes from
// the live /openapi.json (written to ../../.generated/ by openapi-client.test.ts, which compiles this
// file against them and then runs it). Not part of the root typecheck: the types exist only once the
// test has generated them.
import type { Client } from 'openapi-fetch';
import { expect } from 'vitest';
import type { paths } from '../../.generated/openapi-types.ts';

export type TasksClient = Client<paths>;

export async function tasksLifecycle(api: TasksClient): Promise<void> {
  const created = await api.POST('/api/tasks', { body: { title: 'Write the report', description: 'by Friday' } });
  expect(created.response.status).toBe(201);
  const id = created.data!.id;
  expect(created.response.headers.get('location')).toBe(`/api/tasks/${id}`);
  expect(created.data).toMatchObject({ title: 'Write the report', description: 'by Friday', completed: false, completedAt: null });

  const listed = await api.GET('/api/tasks', { params: { query: { limit: 10, status: 'pending' } } });
  expect(listed.data?.items.map((task) => task.id)).toEqual([id]);
  expect(listed.data?.nextCursor).toBeNull();

  const got = await api.GET('/api/tasks/{id}', { params: { path: { id } } });
  expect(got.data).toEqual(created.data);

  const put = await api.PUT('/api/tasks/{id}', { params: { path: { id } }, body: { title: 'Write the final report' } });
  expect(put.data).toMatchObject({ title: 'Write the final report', description: 'by Friday' });

  const patched = await api.PATCH('/api/tasks/{id}', { params: { path: { id } }, body: { description: null } });
  expect(patched.data).toMatchObject({ title: 'Write the final report', description: null });
  expect(Date.parse(patched.data!.updatedAt)).toBeGreaterThan(Date.parse(created.data!.updatedAt));

  const completed = await api.PATCH('/api/tasks/{id}/complete', { params: { path: { id } } });
  expect(completed.data).toMatchObject({ completed: true });
  expect(completed.data?.completedAt).toEqual(expect.any(String));

  const reopened = await api.PATCH('/api/tasks/{id}/complete', { params: { path: { id } }, body: { completed: false } });
  expect(reopened.data).toMatchObject({ completed: false, completedAt: null });

  const deleted = await api.DELETE('/api/tasks/{id}', { params: { path: { id } } });
  expect(deleted.response.status).toBe(204);

  const gone = await api.GET('/api/tasks/{id}', { params: { path: { id } } });
  expect(gone.response.status).toBe(404);
  expect(gone.error).toEqual({ code: 'NOT_FOUND', message: 'Task not found' });
}

export async function originalLifecycle(api: TasksClient, userId: string): Promise<void> {
  const user = { user_id: userId };
  const created = await api.POST('/api/{user_id}/tasks', {
    params: { path: user },
    body: { title: 'Call the plumber', description: 'leak under the sink', priority: 'high', due_date: '2026-12-01' },
  });
  expect(created.response.status).toBe(201);
  const id = created.data!.id;
  expect(created.data).toMatchObject({ user_id: userId, status: 'incomplete', completed: false, priority: 'high' });
  expect(created.data?.due_date).toBe('2026-12-01');

  const listed = await api.GET('/api/{user_id}/tasks', { params: { path: user, query: { status: 'pending' } } });
  expect(listed.data?.map((task) => task.id)).toEqual([id]);

  const got = await api.GET('/api/{user_id}/tasks/{id}', { params: { path: { ...user, id } } });
  expect(got.data).toEqual(created.data);

  const put = await api.PUT('/api/{user_id}/tasks/{id}', { params: { path: { ...user, id } }, body: { title: 'Call the plumber today' } });
  expect(put.data).toMatchObject({ title: 'Call the plumber today', description: 'leak under the sink' });

  const viaStatus = await api.PATCH('/api/{user_id}/tasks/{id}/status', { params: { path: { ...user, id } }, body: { status: 'complete' } });
  expect(viaStatus.data).toMatchObject({ status: 'complete', completed: true });

  const completed = await api.PATCH('/api/{user_id}/tasks/{id}/complete', { params: { path: { ...user, id } } });
  expect(completed.data?.status).toBe('complete');
  expect(completed.data?.completed_at).toBe(viaStatus.data?.completed_at);

  const reopened = await api.PATCH('/api/{user_id}/tasks/{id}/incomplete', { params: { path: { ...user, id } } });
  expect(reopened.data).toMatchObject({ status: 'incomplete', completed_at: null });

  const deleted = await api.DELETE('/api/{user_id}/tasks/{id}', { params: { path: { ...user, id } } });
  expect(deleted.response.status).toBe(204);

  const gone = await api.GET('/api/{user_id}/tasks/{id}', { params: { path: { ...user, id } } });
  expect(gone.response.status).toBe(404);
  expect(gone.error).toEqual({ detail: { error: 'Task not found' } });

  const foreign = await api.GET('/api/{user_id}/tasks', { params: { path: { user_id: 'someone-else' } } });
  expect(foreign.response.status).toBe(403);
}

export async function typedErrors(api: TasksClient): Promise<void> {
  const bad = await api.POST('/api/tasks', { body: { title: ' ' } });
  expect(bad.response.status).toBe(400);
  expect(bad.error?.issues).toEqual([{ path: 'title', message: 'Title is required' }]);
}
