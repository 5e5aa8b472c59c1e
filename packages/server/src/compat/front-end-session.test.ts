// Replays the original Next.js front end's session as it makes it: from http://localhost:3000, a CORS
// preflight, then JSON content type on every call (GET and DELETE included), snake_case bodies,
// `PATCH …/status`, and an empty 204 on delete; the token signed as its auth server signed it, or
// the one its own sign-in answers; date-only dues and the fields its dashboard reads.
import { signTestToken, startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FRONT_END = 'http://localhost:3000';
/** The server's "now": late on 2026-12-01 in UTC, the server's calendar (no APP_TIME_ZONE). */
const TODAY = '2026-12-01';
const NOW = new Date('2026-12-01T23:30:00Z');
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ clock: () => NOW }); // NODE_ENV=test, no CORS_ORIGINS: the default allow-list applies
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

/** The calendar date `days` after `date` (both YYYY-MM-DD), by UTC arithmetic: no time zone involved. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('the original front end’s session with date-only dues, from sign-up to sign-out', () => {
  /** The front end's api client: a preflight, then the same headers on every call, a token once it has one. */
  async function call(method: string, path: string, options: { token?: string; body?: object } = {}) {
    const check = await preflight(path, FRONT_END, method);
    expect(check.status).toBe(204);
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Origin: FRONT_END, ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
      ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    });
    expect(response.headers.get('access-control-allow-origin')).toBe(FRONT_END);
    const text = await response.text();
    return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
  }

  /** What the dashboard and the due badge read of a task. */
  const dueFields = (task: any) => ({
    title: task.title,
    due_date: task.due_date,
    is_overdue: task.is_overdue,
    is_due_today: task.is_due_today,
    days_until_due: task.days_until_due,
  });

  it('creates tasks due yesterday, today and in five days and one without, reads their flags, edits, completes, sorts and deletes', async () => {
    const credentials = { email: 'dana@example.com', password: 'a-long-passphrase' };
    expect((await call('POST', '/auth/signup', { body: { ...credentials, name: 'Dana' } })).status).toBe(201);
    const signedIn = await call('POST', '/auth/signin', { body: credentials });
    expect(signedIn.status).toBe(200);
    const { token, user } = signedIn.json;
    const tasks = `/api/${user.id}/tasks`;
    expect(await call('GET', tasks, { token })).toMatchObject({ status: 200, json: [] });

    const yesterday = addDays(TODAY, -1);
    const inFiveDays = addDays(TODAY, 5);
    const created: Record<string, any> = {};
    for (const [title, due_date] of [['Pay rent', yesterday], ['Call the bank', TODAY], ['Book flights', inFiveDays], ['Read a book', undefined]] as const) {
      const response = await call('POST', tasks, { token, body: { title, ...(due_date ? { due_date } : {}) } });
      expect(response.status).toBe(201);
      created[title] = response.json;
    }
    expect(dueFields(created['Pay rent'])).toEqual({ title: 'Pay rent', due_date: yesterday, is_overdue: true, is_due_today: false, days_until_due: -1 });

    const listed = (await call('GET', tasks, { token })).json;
    expect(listed.map(dueFields)).toEqual([
      { title: 'Read a book', due_date: null, is_overdue: false, is_due_today: false, days_until_due: null },
      { title: 'Book flights', due_date: inFiveDays, is_overdue: false, is_due_today: false, days_until_due: 5 },
      { title: 'Call the bank', due_date: TODAY, is_overdue: false, is_due_today: true, days_until_due: 0 },
      { title: 'Pay rent', due_date: yesterday, is_overdue: true, is_due_today: false, days_until_due: -1 },
    ]);

    // The front end's edit form sends the whole task back, with the new date.
    const rent = created['Pay rent'];
    const inTwoDays = addDays(TODAY, 2);
    const moved = await call('PUT', `${tasks}/${rent.id}`, { token, body: { title: rent.title, description: rent.description, due_date: inTwoDays } });
    expect(moved.status).toBe(200);
    expect(dueFields(moved.json)).toEqual({ title: 'Pay rent', due_date: inTwoDays, is_overdue: false, is_due_today: false, days_until_due: 2 });
    const cleared = await call('PUT', `${tasks}/${created['Book flights'].id}`, { token, body: { title: 'Book flights', due_date: null } });
    expect(dueFields(cleared.json)).toEqual({ title: 'Book flights', due_date: null, is_overdue: false, is_due_today: false, days_until_due: null });

    const done = await call('PATCH', `${tasks}/${created['Call the bank'].id}/status`, { token, body: { status: 'complete' } });
    expect(done.json).toMatchObject({ status: 'complete', due_date: TODAY, is_due_today: true });

    // Soonest first (today, then in two days), then those without a due date, newest first.
    const sorted = (await call('GET', `${tasks}?sort=due_date`, { token })).json;
    expect(sorted.map((task: any) => task.title)).toEqual(['Call the bank', 'Pay rent', 'Read a book', 'Book flights']);

    const deleted = await call('DELETE', `${tasks}/${rent.id}`, { token });
    expect(deleted).toMatchObject({ status: 204, text: '' });
    expect((await call('GET', tasks, { token })).json.map((task: any) => task.title)).toEqual(['Read a book', 'Book flights', 'Call the bank']);

    const other = await call('POST', '/auth/signup', { body: { email: 'eve@example.com', password: 'another-passphrase', name: 'Eve' } });
    expect((await call('GET', tasks, { token: other.json.token })).status).toBe(403);
    expect((await call('PUT', `${tasks}/${created['Read a book'].id}`, { token: other.json.token, body: { due_date: TODAY } })).status).toBe(403);
    expect((await call('GET', `${tasks}/${created['Read a book'].id}`, { token })).json.due_date).toBeNull();

    expect(await call('POST', '/auth/signout', { token })).toMatchObject({ status: 200, json: { status: 'success' } });
  });
});
