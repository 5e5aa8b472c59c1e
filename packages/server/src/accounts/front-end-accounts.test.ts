// Replays the original front end's session as a browser makes it, accounts included: from
// http://localhost:3000, a CORS preflight before each kind of call, `Content-Type: application/json`
// on every call (sign-out, GET and DELETE too), the token and `user.id` taken from the sign-in answer.
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FRONT_END = 'http://localhost:3000';
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer(); // NODE_ENV=test, no CORS_ORIGINS: the default allow-list applies
});
afterAll(async () => {
  await t?.close();
});

/** What the browser sends before a call with an Authorization or a JSON Content-Type header. */
async function preflight(path: string, method: string, headers: string) {
  const response = await fetch(`${t.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin: FRONT_END, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-origin')).toBe(FRONT_END);
  expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase();
  for (const header of headers.split(',')) expect(allowed).toContain(header);
}

/** The front end's api client: the same headers on every call, a token once it has one. */
async function request(method: string, path: string, options: { token?: string; body?: object } = {}) {
  await preflight(path, method, options.token ? 'authorization,content-type' : 'content-type');
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Origin: FRONT_END, ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
  expect(response.headers.get('access-control-allow-origin')).toBe(FRONT_END);
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
}

describe('the original front end’s session, from sign-up to sign-out', () => {
  it('signs up, signs in, lists, creates, completes, deletes and signs out; another account is refused the path', async () => {
    const credentials = { email: 'Grace@Example.com', password: 'a-long-passphrase' };
    const signedUp = await request('POST', '/auth/signup', { body: { ...credentials, name: 'Grace Hopper' } });
    expect(signedUp.status).toBe(201);
    expect(signedUp.json).toMatchObject({ user: { email: 'grace@example.com', name: 'Grace Hopper' }, token_type: 'Bearer', expires_in: 604_800 });

    // The front end keeps what sign-in answers: the token, and user.id for every task path.
    const signedIn = await request('POST', '/auth/signin', { body: credentials });
    expect(signedIn.status).toBe(200);
    const { token, user } = signedIn.json;
    expect(user.id).toBe(signedUp.json.user.id);
    const tasks = `/api/${user.id}/tasks`;

    expect(await request('GET', tasks, { token })).toMatchObject({ status: 200, json: [] });

    const first = await request('POST', tasks, { token, body: { title: 'Write the compiler', description: 'A-0' } });
    expect(first).toMatchObject({ status: 201, json: { user_id: user.id, title: 'Write the compiler', status: 'incomplete', completed: false } });
    const second = await request('POST', tasks, { token, body: { title: 'Find the moth' } });
    expect(second.status).toBe(201);

    const listed = await request('GET', tasks, { token });
    expect(listed.json.map((task: { id: number; title: string; status: string }) => [task.title, task.status])).toEqual([
      ['Find the moth', 'incomplete'],
      ['Write the compiler', 'incomplete'],
    ]);

    const done = await request('PATCH', `${tasks}/${first.json.id}/status`, { token, body: { status: 'complete' } });
    expect(done).toMatchObject({ status: 200, json: { id: first.json.id, status: 'complete', completed: true } });
    expect(done.json.completed_at).toEqual(expect.any(String));

    const deleted = await request('DELETE', `${tasks}/${second.json.id}`, { token });
    expect(deleted).toMatchObject({ status: 204, text: '' });
    expect((await request('GET', tasks, { token })).json.map((task: { id: number }) => task.id)).toEqual([first.json.id]);

    // A second account, signed up from the same browser: its token is refused the first's path.
    const other = await request('POST', '/auth/signup', { body: { email: 'ada@example.com', password: 'another-passphrase', name: 'Ada' } });
    const foreign = await request('GET', tasks, { token: other.json.token });
    expect(foreign).toMatchObject({ status: 403, json: { detail: { error: 'Forbidden' } } });
    const foreignWrite = await request('PATCH', `${tasks}/${first.json.id}/status`, { token: other.json.token, body: { status: 'incomplete' } });
    expect(foreignWrite.status).toBe(403);
    expect((await request('GET', `${tasks}/${first.json.id}`, { token })).json.status).toBe('complete');

    const signedOut = await request('POST', '/auth/signout', { token });
    expect(signedOut).toMatchObject({ status: 200, json: { message: 'Signed out successfully', status: 'success' } });
  });
});
