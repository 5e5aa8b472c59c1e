// The document matches what the server does: types generated from the live /openapi.json by
// openapi-typescript drive an openapi-fetch client through a task's whole life, and every
// response is also checked against the document's schema for its route and status.
import { readFileSync } from 'node:fs';
import { startTestServer, type TestServer } from '@tasks/testing';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractFetch, type ContractFetch } from '@tasks/testing';
import type { paths } from './openapi-types.generated.ts';
import { GENERATED_TYPES_FILE, openApiTypes } from './openapi-types.ts';

let t: TestServer;
let document: object;
let checked: ContractFetch;

beforeAll(async () => {
  t = await startTestServer();
  document = (await (await fetch(`${t.url}/openapi.json`)).json()) as object;
  checked = createContractFetch(document as never, t.url);
});
afterAll(async () => {
  await t?.close();
});

async function clientFor(userId: string) {
  const token = await t.tokenFor(userId);
  return createClient<paths>({
    baseUrl: t.url,
    headers: { authorization: `Bearer ${token}` },
    // Every request goes through the contract check.
    fetch: async (request: Request) => {
      const url = new URL(request.url);
      const body = request.body ? await request.text() : undefined;
      return checked(`${url.pathname}${url.search}`, { method: request.method, headers: request.headers, body });
    },
  });
}

describe('a client generated from /openapi.json', () => {
  it('openapi-typescript output from the live document equals the committed types (else: pnpm openapi:types)', async () => {
    expect(await openApiTypes(document)).toBe(readFileSync(GENERATED_TYPES_FILE, 'utf8'));
  });

  it('runs the lifecycle: create, list, get, put, patch, complete, reopen, delete', async () => {
    const api = await clientFor('lifecycle');

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

    expect(checked.checked()).toBeGreaterThanOrEqual(9);
  });

  it("runs the lifecycle on the original system's routes: create, list, get, put, status, complete, reopen, delete", async () => {
    const userId = 'auth0|lifecycle';
    const api = await clientFor(userId);
    const user = { user_id: userId };

    const created = await api.POST('/api/{user_id}/tasks', {
      params: { path: user },
      body: { title: 'Call the plumber', description: 'leak under the sink', priority: 'high', due_date: '2026-12-01' },
    });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    expect(created.data).toMatchObject({ user_id: userId, status: 'incomplete', completed: false, priority: 'high' });
    expect(created.data?.due_date).toBe('2026-12-01T00:00:00.000Z');

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
  });

  it('gets typed errors back: 400 with field issues', async () => {
    const api = await clientFor('typed-errors');
    const bad = await api.POST('/api/tasks', { body: { title: ' ' } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.issues).toEqual([{ path: 'title', message: 'Title is required' }]);
  });
});
