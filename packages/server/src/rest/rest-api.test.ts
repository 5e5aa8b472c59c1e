import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractFetch, type ContractFetch } from '@tasks/testing';

let t: TestServer;
let api: ContractFetch;
let token: string;

beforeAll(async () => {
  t = await startTestServer();
  api = createContractFetch(await (await fetch(`${t.url}/openapi.json`)).json() as any, t.url);
  token = await t.tokenFor('rest-user');
});
afterAll(async () => {
  await t?.close();
});

const auth = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });
const json = (body: unknown, extra: Record<string, string> = {}) => ({
  headers: auth({ 'content-type': 'application/json', ...extra }),
  body: JSON.stringify(body),
});

async function createTask(title = 'a task', description?: string) {
  const response = await api('/api/tasks', { method: 'POST', ...json({ title, description }) });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; title: string; completed: boolean; completedAt: string | null; updatedAt: string };
}

/** Every error body: `{ code, message, issues? }` and nothing that looks like a stack or SQL. */
async function errorBody(response: Response) {
  const text = await response.text();
  expect(text).not.toMatch(/\bat .+:\d+:\d+|stack|select |insert |update tasks|violates|constraint/i);
  return JSON.parse(text) as { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}

describe('success on every route', () => {
  it('POST /api/tasks answers 201 with the task and its Location', async () => {
    const response = await api('/api/tasks', { method: 'POST', ...json({ title: '  Buy milk ', description: 'two litres' }) });
    expect(response.status).toBe(201);
    const task = await response.json() as any;
    expect(task).toMatchObject({ title: 'Buy milk', description: 'two litres', completed: false, completedAt: null, userId: 'rest-user' });
    expect(response.headers.get('location')).toBe(`/api/tasks/${task.id}`);
    expect(task.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('GET /api/tasks pages with limit and cursor given as query text', async () => {
    const user = await t.tokenFor('pager');
    const headers = { authorization: `Bearer ${user}` };
    for (const title of ['one', 'two', 'three']) {
      await api('/api/tasks', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
    }
    const first = await api('/api/tasks?limit=2', { headers });
    expect(first.status).toBe(200);
    const page = await first.json() as any;
    expect(page.items.map((i: { title: string }) => i.title)).toEqual(['three', 'two']);
    const second = await (await api(`/api/tasks?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`, { headers })).json() as any;
    expect(second).toMatchObject({ items: [{ title: 'one' }], nextCursor: null });
    const pending = await (await api('/api/tasks?status=completed', { headers })).json() as any;
    expect(pending.items).toEqual([]);
  });

  it('GET, PUT and PATCH /api/tasks/{id} read and change the task', async () => {
    const task = await createTask('draft');
    expect(await (await api(`/api/tasks/${task.id}`, { headers: auth() })).json() as any).toEqual(task);
    const put = await api(`/api/tasks/${task.id}`, { method: 'PUT', ...json({ title: 'final' }) });
    expect(put.status).toBe(200);
    expect(await put.json() as any).toMatchObject({ id: task.id, title: 'final', description: null });
    const patched = await api(`/api/tasks/${task.id}`, { method: 'PATCH', ...json({ description: 'details' }) });
    expect(await patched.json() as any).toMatchObject({ title: 'final', description: 'details' });
  });

  it('PATCH /api/tasks/{id}/complete with no body and no Content-Type completes; { completed: false } reopens', async () => {
    const task = await createTask('finish me');
    const done = await api(`/api/tasks/${task.id}/complete`, { method: 'PATCH', headers: auth() });
    expect(done.status).toBe(200);
    const completed = await done.json() as any;
    expect(completed).toMatchObject({ completed: true });
    expect(completed.completedAt).toEqual(expect.any(String));
    const again = await (await api(`/api/tasks/${task.id}/complete`, { method: 'PATCH', ...json({ completed: true }) })).json() as any;
    expect(again.completedAt).toBe(completed.completedAt);
    const reopened = await (await api(`/api/tasks/${task.id}/complete`, { method: 'PATCH', ...json({ completed: false }) })).json() as any;
    expect(reopened).toMatchObject({ completed: false, completedAt: null });
  });

  it('DELETE /api/tasks/{id} answers 204 with an empty body, then 404', async () => {
    const task = await createTask('temporary');
    const deleted = await api(`/api/tasks/${task.id}`, { method: 'DELETE', headers: auth() });
    expect(deleted.status).toBe(204);
    expect(deleted.headers.get('content-type')).toBeNull();
    expect(await deleted.text()).toBe('');
    expect((await api(`/api/tasks/${task.id}`, { headers: auth() })).status).toBe(404);
  });

  it('list filters arrive as query text: repeated keys, booleans, dates, sort', async () => {
    const user = { authorization: `Bearer ${await t.tokenFor('filters')}` };
    const post = (body: object) =>
      api('/api/tasks', { method: 'POST', headers: { ...user, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post({ title: 'late high', priority: 'high', dueAt: '2020-01-01T00:00:00Z', tags: ['Work'] });
    await post({ title: 'later low', priority: 'low', dueAt: '2999-01-01', tags: ['home'] });
    await post({ title: 'no due medium' });
    const titles = async (query: string) => {
      const response = await api(`/api/tasks?${query}`, { headers: user });
      expect(response.status, query).toBe(200);
      return ((await response.json()) as { items: Array<{ title: string }> }).items.map((i) => i.title);
    };
    expect(await titles('overdue=true')).toEqual(['late high']);
    expect(await titles('priority=high&priority=low&sort=title&order=asc')).toEqual(['late high', 'later low']);
    expect(await titles('tag=work')).toEqual(['late high']);
    expect(await titles('dueAfter=2100-01-01')).toEqual(['later low']);
    expect((await api('/api/tasks?overdue=yes', { headers: user })).status).toBe(400);
    expect((await api('/api/tasks?dueBefore=tomorrow', { headers: user })).status).toBe(400);
  });

  it('a comma-joined priority means the same as the repeated form; a comma-joined tag is a 400 naming tag', async () => {
    const user = { authorization: `Bearer ${await t.tokenFor('comma-lists')}` };
    const post = (body: object) =>
      api('/api/tasks', { method: 'POST', headers: { ...user, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post({ title: 'high home', priority: 'high', tags: ['home', 'errand'] });
    await post({ title: 'low home', priority: 'low', tags: ['home'] });
    await post({ title: 'medium', priority: 'medium', tags: ['home,errand'] });
    const titles = async (query: string) => {
      const response = await api(`/api/tasks?${query}&sort=title&order=asc`, { headers: user });
      expect(response.status, `${query}: ${await response.clone().text()}`).toBe(200);
      return ((await response.json()) as { items: Array<{ title: string }> }).items.map((i) => i.title);
    };
    const repeated = await titles('priority=high&priority=low');
    expect(repeated).toEqual(['high home', 'low home']);
    expect(await titles('priority=high,low')).toEqual(repeated);
    expect(await titles('priority=high%2Clow')).toEqual(repeated);
    expect(await titles('priority=high,low&priority=medium')).toEqual(['high home', 'low home', 'medium']);
    expect(await titles('tag=home&tag=errand')).toEqual(['high home']);
    for (const query of ['tag=home,errand', 'tag=home%2Cerrand', 'tag=home&tag=a,b']) {
      const response = await api(`/api/tasks?${query}`, { headers: user });
      expect(response.status, query).toBe(400);
      const error = await errorBody(response);
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.issues?.map((i) => i.path)).toEqual(['tag']);
      expect(error.message).toMatch(/^tag: .*repeated parameters/);
    }
    const badPriority = await api('/api/tasks?priority=high,urgent', { headers: user });
    expect(badPriority.status).toBe(400);
    expect((await errorBody(badPriority)).issues?.[0]?.path).toMatch(/^priority/);
  });

  it('an empty body under a JSON Content-Type is no body, on every route that takes none', async () => {
    const task = await createTask('bodiless');
    const empty = { headers: auth({ 'content-type': 'application/json' }), body: '' };
    const completed = await api(`/api/tasks/${task.id}/complete`, { method: 'PATCH', ...empty });
    expect(completed.status).toBe(200);
    expect(await completed.json()).toMatchObject({ id: task.id, completed: true });
    for (const path of ['/api/tasks', `/api/tasks/${task.id}`, '/api/tasks/stats']) {
      expect((await api(path, { ...empty, body: undefined })).status, path).toBe(200);
    }
    const deleted = await api(`/api/tasks/${task.id}`, { method: 'DELETE', ...empty });
    expect(deleted.status).toBe(204);
    expect((await api(`/api/tasks/${task.id}`, { headers: auth() })).status).toBe(404);
  });

  it('percent-encoded path parameters are decoded', async () => {
    const task = await createTask('encoded');
    const encoded = [...String(task.id)].map((d) => `%3${d}`).join('');
    expect(await (await api(`/api/tasks/${encoded}`, { headers: auth() })).json() as any).toMatchObject({ id: task.id });
  });
});

describe('400 for every bad input, never 500', () => {
  it.each([
    ['empty title', { title: '' }, 'title'],
    ['whitespace title', { title: '   \t ' }, 'title'],
    ['256-character title', { title: 'x'.repeat(256) }, 'title'],
    ['5001-character description', { title: 'ok', description: 'd'.repeat(5001) }, 'description'],
    ['NUL in title', { title: 'a\u0000b' }, 'title'],
    ['unknown field', { title: 'ok', userId: 'mallory' }, '(input)'],
    ['missing title', {}, 'title'],
  ])('POST with %s', async (_name, body, path) => {
    const response = await api('/api/tasks', { method: 'POST', ...json(body) });
    expect(response.status).toBe(400);
    const error = await errorBody(response);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.issues?.map((i) => i.path)).toContain(path);
  });

  it('POST with no body at all is a 400 naming title', async () => {
    const response = await api('/api/tasks', { method: 'POST', headers: auth() });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).issues?.[0]?.path).toBe('title');
  });

  it.each(['0', '101', '2.5', '-5', 'abc', '1e2', '', '0x10'])('GET /api/tasks?limit=%s', async (limit) => {
    const response = await api(`/api/tasks?limit=${limit}`, { headers: auth() });
    if (limit === '') return expect(response.status).toBe(200); // an empty value is no value: the default applies
    expect(response.status).toBe(400);
    expect((await errorBody(response)).issues?.[0]?.path).toBe('limit');
  });

  it.each(['not-a-cursor', 'WzEsMiwzXQ', Buffer.from('["x",1]').toString('base64url')])('GET /api/tasks?cursor=%s', async (cursor) => {
    const response = await api(`/api/tasks?cursor=${cursor}`, { headers: auth() });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).code).toBe('BAD_REQUEST');
  });

  it('an unknown status filter or query parameter', async () => {
    expect((await api('/api/tasks?status=done', { headers: auth() })).status).toBe(400);
    expect((await api('/api/tasks?colour=red', { headers: auth() })).status).toBe(400);
  });

  it.each(['0', '-1', '1.5', 'abc', '99999999999'])('id %s on every /api/tasks/{id} route', async (id) => {
    const routes: Array<[string, RequestInit]> = [
      [`/api/tasks/${id}`, { headers: auth() }],
      [`/api/tasks/${id}`, { method: 'PUT', ...json({ title: 'x' }) }],
      [`/api/tasks/${id}`, { method: 'PATCH', ...json({ title: 'x' }) }],
      [`/api/tasks/${id}`, { method: 'DELETE', headers: auth() }],
      [`/api/tasks/${id}/complete`, { method: 'PATCH', headers: auth() }],
    ];
    for (const [path, init] of routes) {
      const response = await api(path, init);
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(400);
      expect((await errorBody(response)).issues?.[0]?.path).toBe('id');
    }
  });

  it('a malformed %-escape in the path is a 400 in the error format', async () => {
    const response = await api('/api/tasks/%ZZ', { headers: auth() });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).code).toBe('BAD_REQUEST');
  });

  it('a string where a boolean belongs is refused, not coerced', async () => {
    const task = await createTask('strict');
    const response = await api(`/api/tasks/${task.id}/complete`, { method: 'PATCH', ...json({ completed: 'false' }) });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).issues?.[0]?.path).toBe('completed');
  });

  it('PATCH with no field to change', async () => {
    const task = await createTask('unchanged');
    const response = await api(`/api/tasks/${task.id}`, { method: 'PATCH', ...json({}) });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).message).toMatch(/At least one field/);
  });

  it('a body that is not valid JSON, or empty with a JSON Content-Type', async () => {
    const bad = await api('/api/tasks', { method: 'POST', headers: auth({ 'content-type': 'application/json' }), body: '{"title":' });
    expect(bad.status).toBe(400);
    expect(await errorBody(bad)).toEqual({ code: 'BAD_REQUEST', message: 'The body is not valid JSON' });
    // An empty body is no body: a create without one names the missing title.
    const empty = await api('/api/tasks', { method: 'POST', headers: auth({ 'content-type': 'application/json' }), body: '' });
    expect(empty.status).toBe(400);
    expect((await errorBody(empty)).issues?.map((i) => i.path)).toEqual(['title']);
  });

  it('the shared schemas stay strict for tRPC after REST calls: "20" and "false" are still refused there', async () => {
    await api('/api/tasks?limit=20', { headers: auth() });
    const input = encodeURIComponent(JSON.stringify({ json: { limit: '20' } }));
    const list = await fetch(`${t.trpcUrl}/tasks.list?input=${input}`, { headers: auth() });
    expect(list.status).toBe(400);
    const task = await createTask('trpc strict');
    const complete = await fetch(`${t.trpcUrl}/tasks.complete`, {
      method: 'POST',
      headers: auth({ 'content-type': 'application/json' }),
      body: JSON.stringify({ json: { id: String(task.id), completed: 'false' } }),
    });
    expect(complete.status).toBe(400);
  });
});

describe('auth, ownership, methods, sizes and types', () => {
  it.each([
    ['no Authorization header', {}],
    ['a malformed token', { authorization: 'Bearer not-a-jwt' }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('401 with WWW-Authenticate for %s', async (_name, headers) => {
    const response = await api('/api/tasks', { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect((await errorBody(response)).code).toBe('UNAUTHORIZED');
  });

  it('401 for an expired token', async () => {
    const expired = await t.tokenFor('rest-user', { expiresIn: -3600 });
    const response = await api('/api/tasks', { headers: { authorization: `Bearer ${expired}` } });
    expect(response.status).toBe(401);
    expect((await errorBody(response)).message).toMatch(/expired/i);
  });

  it("404 for another user's task on every route, the same as a missing one", async () => {
    const task = await createTask('private');
    const intruder = { authorization: `Bearer ${await t.tokenFor('intruder')}` };
    const attempts: Array<[string, RequestInit]> = [
      [`/api/tasks/${task.id}`, { headers: intruder }],
      [`/api/tasks/${task.id}`, { method: 'PUT', headers: { ...intruder, 'content-type': 'application/json' }, body: '{"title":"x"}' }],
      [`/api/tasks/${task.id}`, { method: 'PATCH', headers: { ...intruder, 'content-type': 'application/json' }, body: '{"title":"x"}' }],
      [`/api/tasks/${task.id}/complete`, { method: 'PATCH', headers: intruder }],
      [`/api/tasks/${task.id}`, { method: 'DELETE', headers: intruder }],
    ];
    for (const [path, init] of attempts) {
      const response = await api(path, init);
      expect(response.status).toBe(404);
      expect(await errorBody(response)).toEqual({ code: 'NOT_FOUND', message: 'Task not found' });
    }
    const missing = await api('/api/tasks/2000000000', { headers: intruder });
    expect(await errorBody(missing)).toEqual({ code: 'NOT_FOUND', message: 'Task not found' });
    expect((await (await api(`/api/tasks/${task.id}`, { headers: auth() })).json() as any).title).toBe('private');
  });

  it.each([
    ['POST', '/api/tasks/1', 'GET, PATCH, PUT, DELETE, HEAD, OPTIONS'],
    ['DELETE', '/api/tasks', 'GET, POST, HEAD, OPTIONS'],
    ['PUT', '/api/tasks', 'GET, POST, HEAD, OPTIONS'],
    ['GET', '/api/tasks/1/complete', 'PATCH, OPTIONS'],
  ])('405 with Allow for %s %s', async (method, path, allow) => {
    const response = await api(path, { method, headers: auth() });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect((await errorBody(response)).code).toBe('METHOD_NOT_SUPPORTED');
  });

  it('404 in the error format for a path no route has', async () => {
    const response = await api('/api/nothing-here', { headers: auth() });
    expect(response.status).toBe(404);
    expect((await errorBody(response)).code).toBe('NOT_FOUND');
  });

  it('413 for a body over the limit', async () => {
    const response = await api('/api/tasks', { method: 'POST', ...json({ title: 'x', description: 'y'.repeat(1_100_000) }) });
    expect(response.status).toBe(413);
    expect(await errorBody(response)).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' });
  });

  it.each([
    ['text/plain', 'title=x'],
    ['application/x-www-form-urlencoded', 'title=x'],
    ['application/xml', '<task/>'],
  ])('415 for a %s body', async (type, body) => {
    const response = await api('/api/tasks', { method: 'POST', headers: auth({ 'content-type': type }), body });
    expect(response.status).toBe(415);
    expect(await errorBody(response)).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json' });
  });

  it('HEAD runs the GET with its auth check and sends no body', async () => {
    const anonymous = await api('/api/tasks', { method: 'HEAD' });
    expect(anonymous.status).toBe(401);
    const authed = await api('/api/tasks', { method: 'HEAD', headers: auth() });
    expect(authed.status).toBe(200);
    expect(await authed.text()).toBe('');
  });

  it('OPTIONS answers 204 with Allow; a preflight from an allowed origin gets CORS headers too', async () => {
    const options = await fetch(`${t.url}/api/tasks/1`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, PATCH, PUT, DELETE, HEAD, OPTIONS');
    const preflight = await fetch(`${t.url}/api/tasks/1/complete`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
  });
});

describe('GET /api/tasks/stats', () => {
  it("counts the caller's tasks only, with today in the given time zone", async () => {
    const statsUser = { authorization: `Bearer ${await t.tokenFor('stats-user')}` };
    const post = (body: object) =>
      api('/api/tasks', { method: 'POST', headers: { ...statsUser, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post({ title: 'overdue', dueAt: '2020-01-01T00:00:00Z' });
    const done = (await (await post({ title: 'done' })).json()) as { id: number };
    await api(`/api/tasks/${done.id}/complete`, { method: 'PATCH', headers: statsUser });
    await createTask('another user\'s task');
    const response = await api('/api/tasks/stats?timeZone=Europe/Paris', { headers: statsUser });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ total: 2, pending: 1, completed: 1, overdue: 1, dueToday: 0 });
  });

  it('names a bad time zone, and is a path of its own, not a task id', async () => {
    const bad = await api('/api/tasks/stats?timeZone=Mars/Olympus', { headers: auth() });
    expect(bad.status).toBe(400);
    expect((await errorBody(bad)).issues?.[0]?.path).toBe('timeZone');
    const options = await fetch(`${t.url}/api/tasks/stats`, { method: 'OPTIONS' });
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const trailing = await api('/api/tasks/stats/', { headers: auth() });
    expect(trailing.status).toBe(200);
    const post = await api('/api/tasks/stats/', { method: 'POST', ...json({}) });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});

describe('the contract check itself', () => {
  it('ran on every response above (each was validated against the document)', () => {
    expect(api.checked()).toBeGreaterThan(90);
  });
});
