// Replays the original Next.js front end's session as it makes it: from http://localhost:3000, a CORS
// preflight, then JSON content type on every call (GET and DELETE included), snake_case bodies,
// `PATCH …/status`, and an empty 204 on delete; the token signed as its auth server signed it.
import { signTestToken, startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FRONT_END = 'http://localhost:3000';
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer(); // NODE_ENV=test, no CORS_ORIGINS: the default allow-list applies
});
afterAll(async () => {
  await t?.close();
});

function preflight(path: string, origin: string, method: string) {
  return fetch(`${t.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' },
  });
}

const listOf = (header: string | null) => (header ?? '').split(',').map((v) => v.trim().toLowerCase());

describe('CORS, as the contract’s Defaults section describes', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])('a %s preflight from the front end is allowed with its origin echoed', async (method) => {
    const response = await preflight('/api/user-1/tasks/1/status', FRONT_END, method);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(FRONT_END);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(listOf(response.headers.get('access-control-allow-methods'))).toContain(method.toLowerCase());
    expect(listOf(response.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    expect(listOf(response.headers.get('vary'))).toContain('origin');
  });

  it('an origin off the list gets no Access-Control-Allow-Origin, never *', async () => {
    const response = await preflight('/api/user-1/tasks', 'http://evil.example', 'POST');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${t.url}/api/user-1/tasks`, { headers: { origin: 'http://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS_ORIGINS replaces the default list', async () => {
    const other = await startTestServer({ env: { CORS_ORIGINS: 'https://app.example.com, https://admin.example.com' } });
    try {
      const call = (origin: string) =>
        fetch(`${other.url}/api/u/tasks`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
      expect((await call('https://admin.example.com')).headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
      expect((await call(FRONT_END)).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await other.close();
    }
  });
});

describe('the original front end’s session', () => {
  it('lists, creates, edits, completes, reopens and deletes as the front end does', async () => {
    const userId = 'auth0|front-end-user';
    const token = await signTestToken({
      secret: t.secret,
      sub: userId,
      claims: { email: 'fe@example.com' },
      alg: 'HS256',
    });
    const base = `${t.url}/api/${encodeURIComponent(userId)}/tasks`;
    // The front end's api client: the same headers on every call.
    const request = async (method: string, url: string, body?: object) => {
      const response = await fetch(url, {
        method,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, Origin: FRONT_END },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(response.headers.get('access-control-allow-origin')).toBe(FRONT_END);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      const text = await response.text();
      return { status: response.status, text, json: text ? JSON.parse(text) : undefined, headers: response.headers };
    };

    expect((await preflight(new URL(base).pathname, FRONT_END, 'POST')).status).toBe(204);

    const empty = await request('GET', base);
    expect(empty).toMatchObject({ status: 200, json: [] });

    const created = await request('POST', base, { title: 'Write report', description: 'Q3 numbers' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ user_id: userId, title: 'Write report', description: 'Q3 numbers', status: 'incomplete' });
    const id = created.json.id;

    const second = await request('POST', base, { title: 'Call Sam' });
    expect(second.json.description).toBeNull();

    const listed = await request('GET', base);
    expect(listed.json.map((task: any) => task.title)).toEqual(['Call Sam', 'Write report']);

    const edited = await request('PUT', `${base}/${id}`, { title: 'Write the report', description: 'Q3 and Q4' });
    expect(edited).toMatchObject({ status: 200, json: { id, title: 'Write the report', description: 'Q3 and Q4', status: 'incomplete' } });

    const done = await request('PATCH', `${base}/${id}/status`, { status: 'complete' });
    expect(done).toMatchObject({ status: 200, json: { id, status: 'complete', completed: true } });

    const completedOnly = await request('GET', `${base}?status=complete`);
    expect(completedOnly.json.map((task: any) => task.id)).toEqual([id]);

    const reopened = await request('PATCH', `${base}/${id}/status`, { status: 'incomplete' });
    expect(reopened.json).toMatchObject({ status: 'incomplete', completed: false, completed_at: null });

    const completedByRoute = await request('PATCH', `${base}/${second.json.id}/complete`);
    expect(completedByRoute.json.status).toBe('complete');

    const deleted = await request('DELETE', `${base}/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(deleted.headers.get('content-type')).toBeNull();

    const remaining = await request('GET', `${base}/${id}`);
    expect(remaining).toMatchObject({ status: 404, json: { detail: { error: 'Task not found' } } });
    expect((await request('GET', base)).json.map((task: any) => task.id)).toEqual([second.json.id]);
  });
});
