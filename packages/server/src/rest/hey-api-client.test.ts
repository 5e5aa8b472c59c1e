// A second generator's client from the live /openapi.json: @hey-api/openapi-ts writes a fetch SDK
// (into the git-ignored .generated/), and it drives the REST surface through a task's life with
// the calls generated clients make that hand-written ones rarely do: a bodiless PATCH of a route
// that documents an optional body, array query parameters, typed error bodies. Every response is
// also checked against the document.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { heyApiClient } from '@tasks/openapi-codegen';
import { createContractFetch, startTestServer, type ContractFetch, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Both database projects may run this file at once: each generates its own copy.
const output = join(import.meta.dirname, '..', '..', '.generated', `hey-api-${process.pid}`);

interface Answer {
  data?: any;
  error?: any;
  response: Response;
}
type Operation = (options: Record<string, unknown>) => Promise<Answer>;
/** The generated SDK's functions this test calls (typed against the generated files, which it must not import). */
interface Sdk {
  createClient(config: Record<string, unknown>): unknown;
  createConfig(config: Record<string, unknown>): Record<string, unknown>;
  createTask: Operation;
  listTasks: Operation;
  getTask: Operation;
  updateTask: Operation;
  completeTask: Operation;
  deleteTask: Operation;
}

let t: TestServer;
let checked: ContractFetch;
let sdk: Sdk;
/** What the generated client sent, request by request. */
const sent: Array<{ method: string; path: string; search: string; contentType: string | null; body: string | undefined }> = [];

beforeAll(async () => {
  t = await startTestServer();
  const document = (await (await fetch(`${t.url}/openapi.json`)).json()) as object;
  checked = createContractFetch(document as never, t.url);
  await heyApiClient(document, output);
  const [operations, client] = await Promise.all([
    import(pathToFileURL(join(output, 'sdk.gen.ts')).href),
    import(pathToFileURL(join(output, 'client', 'index.ts')).href),
  ]);
  sdk = { ...operations, ...client };
});
afterAll(async () => {
  await t?.close();
  rmSync(output, { recursive: true, force: true });
});

async function clientFor(userId: string) {
  const token = await t.tokenFor(userId);
  return sdk.createClient(
    sdk.createConfig({
      baseUrl: t.url,
      auth: token,
      // Every request goes through the contract check; the headers are kept to be looked at.
      fetch: async (request: Request) => {
        const url = new URL(request.url);
        const body = request.body ? await request.text() : undefined;
        sent.push({ method: request.method, path: url.pathname, search: url.search, contentType: request.headers.get('content-type'), body });
        return checked(`${url.pathname}${url.search}`, { method: request.method, headers: request.headers, body });
      },
    }),
  );
}

describe('a @hey-api/openapi-ts client generated from /openapi.json', () => {
  it('creates, lists by two priorities and two tags, gets, updates, completes with no body and deletes', async () => {
    const client = await clientFor('hey-api');
    const create = (body: object) => sdk.createTask({ client, body });

    const created = await create({ title: 'Fix the bike', priority: 'high', tags: ['home', 'errand'] });
    expect(created.response.status).toBe(201);
    const id = created.data.id as number;
    expect(created.response.headers.get('location')).toBe(`/api/tasks/${id}`);
    await create({ title: 'Water the plants', priority: 'low', tags: ['home', 'errand', 'garden'] });
    await create({ title: 'Call the bank', priority: 'high', tags: ['errand'] });
    await create({ title: 'Read', priority: 'medium', tags: ['home', 'errand'] });

    const listed = await sdk.listTasks({ client, query: { priority: ['high', 'low'], tag: ['home', 'errand'], sort: 'title', order: 'asc' } });
    expect(listed.response.status).toBe(200);
    expect(listed.data.items.map((task: { title: string }) => task.title)).toEqual(['Fix the bike', 'Water the plants']);
    expect(listed.data.nextCursor).toBeNull();
    expect(sent.at(-1)?.search).toMatch(/priority=high&priority=low&tag=home&tag=errand/);

    const got = await sdk.getTask({ client, path: { id } });
    expect(got.data).toEqual(created.data);

    const updated = await sdk.updateTask({ client, path: { id }, body: { title: 'Fix the bike today', tags: ['errand'] } });
    expect(updated.data).toMatchObject({ id, title: 'Fix the bike today', tags: ['errand'], priority: 'high' });

    const completed = await sdk.completeTask({ client, path: { id } });
    expect(completed.response.status).toBe(200);
    expect(completed.data).toMatchObject({ id, completed: true });
    expect(sent.at(-1)).toMatchObject({ method: 'PATCH', path: `/api/tasks/${id}/complete`, body: undefined });

    const deleted = await sdk.deleteTask({ client, path: { id } });
    expect(deleted.response.status).toBe(204);
    expect(deleted.error).toBeUndefined();
    const gone = await sdk.getTask({ client, path: { id } });
    expect(gone.response.status).toBe(404);
  });

  it('gets the documented errors back: a 404 and a 400 with field issues', async () => {
    const client = await clientFor('hey-api-errors');
    const missing = await sdk.getTask({ client, path: { id: 2_000_000_000 } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toEqual({ code: 'NOT_FOUND', message: 'Task not found' });

    const invalid = await sdk.createTask({ client, body: { title: '   ', priority: 'urgent' } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error.code).toBe('BAD_REQUEST');
    expect(invalid.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['priority', 'title']);
    expect(checked.checked()).toBeGreaterThanOrEqual(12);
  });
});
