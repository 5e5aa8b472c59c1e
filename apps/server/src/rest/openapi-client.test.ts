// The document matches what the server does: types generated from the live /openapi.json by
// openapi-typescript drive an openapi-fetch client through a task's whole life, and every
// response is also checked against the document's schema for its route and status.
import { readFileSync } from 'node:fs';
import { startTestServer, type TestServer } from '@tasks/testing';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractFetch, type ContractFetch } from './openapi-contract.ts';
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

  it('gets typed errors back: 400 with field issues', async () => {
    const api = await clientFor('typed-errors');
    const bad = await api.POST('/api/tasks', { body: { title: ' ' } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.issues).toEqual([{ path: 'title', message: 'Title is required' }]);
  });
});
