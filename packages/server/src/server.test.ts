import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ listen: false });
});
afterAll(async () => {
  await t?.close();
});

/** The raw tRPC HTTP wire format, as `curl` would send it. */
async function trpc(path: string, init: { token?: string | null; input?: unknown; method?: 'GET' | 'POST'; headers?: Record<string, string> }) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let url = `/trpc/${path}`;
  let body: string | undefined;
  if (init.method === 'POST') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify({ json: init.input });
  } else if (init.input !== undefined) {
    url += `?input=${encodeURIComponent(JSON.stringify({ json: init.input }))}`;
  }
  const response = await t.fetch(url, { method: init.method ?? 'GET', headers, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

describe('tRPC over HTTP', () => {
  it('creates and lists tasks in the tRPC wire format', async () => {
    const token = await t.tokenFor('curl-user');
    const created = await trpc('tasks.create', { token, method: 'POST', input: { title: 'from curl' } });
    expect(created.status).toBe(200);
    expect(created.body.result.data.json).toMatchObject({ title: 'from curl', userId: 'curl-user', completed: false });
    expect(created.body.result.data.meta.values.createdAt).toEqual(['Date']);

    const listed = await trpc('tasks.list', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.result.data.json.items.map((i: { title: string }) => i.title)).toEqual(['from curl']);
  });

  it('answers a batch of calls in one request', async () => {
    const token = await t.tokenFor('batch-user');
    const a = await trpc('tasks.create', { token, method: 'POST', input: { title: 'a' } });
    const id = a.body.result.data.json.id;
    const input = encodeURIComponent(JSON.stringify({ 0: { json: { id } }, 1: { json: { limit: 5 } } }));
    const response = await t.fetch(`/trpc/tasks.get,tasks.list?batch=1&input=${input}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as any[];
    expect(response.status).toBe(200);
    expect(body[0].result.data.json.id).toBe(id);
    expect(body[1].result.data.json.items).toHaveLength(1);
  });

  it.each([
    ['no Authorization header', null, {}],
    ['another scheme', null, { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a malformed token', 'not-a-jwt', {}],
  ])('answers 401 with WWW-Authenticate for %s', async (_name, token, headers) => {
    const response = await trpc('tasks.list', { token, headers });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.body.error.json.data.code).toBe('UNAUTHORIZED');
  });

  it.each([
    ['expired', { expiresIn: -3600 }],
    ['without exp', { expiresIn: null }],
  ] as const)('answers 401 for an %s token over HTTP', async (_name, options) => {
    const response = await trpc('tasks.list', { token: await t.tokenFor('u', options) });
    expect(response.status).toBe(401);
  });

  it('answers 400 with field issues and no stack for bad input', async () => {
    const token = await t.tokenFor('bad-input');
    const response = await trpc('tasks.create', { token, method: 'POST', input: { title: ' ' } });
    expect(response.status).toBe(400);
    const error = response.body.error.json;
    expect(error.data.issues).toEqual([{ path: 'title', message: 'Title is required' }]);
    expect(JSON.stringify(response.body)).not.toMatch(/stack|at .*\.ts:\d+/);
  });

  it('answers 404 for a missing procedure and 404 NOT_FOUND for a foreign task', async () => {
    const owner = await t.tokenFor('owner');
    const created = await trpc('tasks.create', { token: owner, method: 'POST', input: { title: 'mine' } });
    const other = await trpc('tasks.get', { token: await t.tokenFor('other'), input: { id: created.body.result.data.json.id } });
    expect(other.status).toBe(404);
    expect(other.body.error.json.message).toBe('Task not found');
    const missing = await trpc('tasks.nope', { token: owner });
    expect(missing.status).toBe(404);
  });

  it('echoes or assigns a request id', async () => {
    const given = await t.fetch('/healthz', { headers: { 'x-request-id': 'req-123' } });
    expect(given.headers.get('x-request-id')).toBe('req-123');
    const assigned = await t.fetch('/healthz');
    expect(assigned.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('URLs the router refuses', () => {
  it('a path segment past the limit (a tRPC batch of 1,000 calls) is a short 400, the URL not quoted back', async () => {
    const response = await t.fetchAs('long-url', `/trpc/${Array.from({ length: 1_000 }, () => 'tasks.stats').join(',')}?batch=1`);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text.length).toBeLessThan(300);
    expect(JSON.parse(text)).toMatchObject({ code: 'BAD_REQUEST', message: 'A segment of the URL path is too long' });
  });
});

describe('health', () => {
  it('/healthz and /readyz answer 200 when the database is reachable', async () => {
    expect((await t.fetch('/healthz')).status).toBe(200);
    const ready = await t.fetch('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });
});

describe('development secret', () => {
  it('without any auth configuration, makes a secret and a working dev token', async () => {
    const config = loadConfig({ NODE_ENV: 'development', PORT: '0', DATA_DIR: 'memory', LOG_LEVEL: 'silent' });
    const server = await createServer(config, { logger: false });
    try {
      const url = await server.start();
      expect(server.devToken).toBeTruthy();
      const response = await fetch(`${url}/trpc/tasks.list`, { headers: { authorization: `Bearer ${server.devToken}` } });
      expect(response.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
