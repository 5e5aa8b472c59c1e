// 401 and 403 on the compatibility routes, tokens as the original signed them, and the order in which
// one request's several problems are answered: 401, 403, 400 Invalid task ID, 422, other 400s, 404.
import { signTestToken, startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originalClient } from '@tasks/testing';

let t: TestServer;
let call: ReturnType<typeof originalClient>;
let task: any;
beforeAll(async () => {
  t = await startTestServer();
  call = originalClient(t);
  task = (await call('POST', '/api/pat/tasks', { as: { user: 'pat' }, body: { title: 'mine' } })).json;
});
afterAll(async () => {
  await t?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const token = (options: Parameters<typeof signTestToken>[0] extends infer O ? Omit<O, 'secret'> : never) =>
  signTestToken({ secret: t.secret, ...options });

/** Every route, with a body it would accept. */
const routes = () =>
  [
    ['GET', '/api/pat/tasks', undefined],
    ['POST', '/api/pat/tasks', { title: 'x' }],
    ['GET', `/api/pat/tasks/${task.id}`, undefined],
    ['PUT', `/api/pat/tasks/${task.id}`, { title: 'x' }],
    ['DELETE', `/api/pat/tasks/${task.id}`, undefined],
    ['PATCH', `/api/pat/tasks/${task.id}/complete`, undefined],
    ['PATCH', `/api/pat/tasks/${task.id}/incomplete`, undefined],
    ['PATCH', `/api/pat/tasks/${task.id}/status`, { status: 'complete' }],
  ] as const;

describe('tokens the original signed', () => {
  it.each(['HS256', 'HS512'] as const)('accepts %s with sub, email, iat, exp', async (alg) => {
    const jwt = await token({ sub: 'pat', alg, claims: { email: 'pat@example.com', iat: now() }, expiresIn: 600 });
    const response = await call('GET', '/api/pat/tasks', { as: { token: jwt } });
    expect(response.status).toBe(200);
    expect(response.json.map((t: any) => t.id)).toContain(task.id);
  });

  it('takes the user_id claim when sub is absent', async () => {
    const jwt = await token({ sub: null, claims: { user_id: 'legacy-9' } });
    const created = await call('POST', '/api/legacy-9/tasks', { as: { token: jwt }, body: { title: 'from a legacy token' } });
    expect(created.status).toBe(201);
    expect(created.json.user_id).toBe('legacy-9');
  });

  it('accepts the scheme word in any case', async () => {
    const jwt = await token({ sub: 'pat' });
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const response = await call('GET', '/api/pat/tasks', { headers: { authorization: `${scheme} ${jwt}` } });
      expect(response.status).toBe(200);
    }
  });

  it('percent-decodes the user id in the path (auth0%7Cabc is auth0|abc)', async () => {
    const jwt = await token({ sub: 'auth0|abc' });
    const created = await call('POST', '/api/auth0%7Cabc/tasks', { as: { token: jwt }, body: { title: 'pipe' } });
    expect(created.status).toBe(201);
    expect(created.json.user_id).toBe('auth0|abc');
    const listed = await call('GET', '/api/auth0%7cabc/tasks', { as: { token: jwt } });
    expect(listed.json.map((t: any) => t.id)).toEqual([created.json.id]);
  });

  it('reads BETTER_AUTH_SECRET as the shared secret', async () => {
    const secret = 'better-auth-secret-of-at-least-32-bytes';
    const other = await startTestServer({ env: { AUTH_SECRET: '', BETTER_AUTH_SECRET: secret } });
    try {
      const jwt = await signTestToken({ secret, sub: 'ba-user' });
      const response = await originalClient(other)('GET', '/api/ba-user/tasks', { as: { token: jwt } });
      expect(response.status).toBe(200);
      expect(response.json).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe('401', () => {
  const cases: [string, () => Promise<Record<string, string>>][] = [
    ['no Authorization header', async () => ({})],
    ['another scheme', async () => ({ authorization: 'Basic cGF0OnNlY3JldA==' })],
    ['a malformed token', async () => ({ authorization: 'Bearer not-a-jwt' })],
    ['an expired token', async () => ({ authorization: `Bearer ${await token({ sub: 'pat', expiresIn: -3600 })}` })],
    ['a token without exp', async () => ({ authorization: `Bearer ${await token({ sub: 'pat', expiresIn: null })}` })],
    ['a token signed with another secret', async () => ({
      authorization: `Bearer ${await signTestToken({ secret: 'another-secret-that-is-long-enough-too', sub: 'pat' })}`,
    })],
    ['a token with no user id', async () => ({ authorization: `Bearer ${await token({ sub: null })}` })],
  ];

  it.each(cases)('%s: {"detail": {"error": "Unauthorized", …}} with WWW-Authenticate on every route', async (_name, headers) => {
    for (const [method, path, body] of routes()) {
      const response = await call(method, path, { headers: await headers(), body });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.json.detail.error).toBe('Unauthorized');
      expect(typeof response.json.detail.message).toBe('string');
      expect(response.json.detail.message.length).toBeGreaterThan(0);
    }
  });

  it('names why an expired token is refused', async () => {
    const response = await call('GET', '/api/pat/tasks', { headers: { authorization: `Bearer ${await token({ sub: 'pat', expiresIn: -3600 })}` } });
    expect(response.json.detail.message).toMatch(/expired/i);
  });
});

describe('403', () => {
  it("another user's path is 403 {\"detail\": {\"error\": \"Forbidden\", …}} on every route, and changes nothing", async () => {
    for (const [method, path, body] of routes()) {
      const response = await call(method, path, { as: { user: 'mallory' }, body });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.json.detail.error).toBe('Forbidden');
      expect(response.json.detail.message.length).toBeGreaterThan(0);
    }
    const after = await call('GET', `/api/pat/tasks/${task.id}`, { as: { user: 'pat' } });
    expect(after.json).toEqual(task);
  });

  it('compares the decoded path: auth0%7Cabc is not auth0%257Cabc', async () => {
    const jwt = await token({ sub: 'auth0|abc' });
    expect((await call('GET', '/api/auth0%257Cabc/tasks', { as: { token: jwt } })).status).toBe(403);
  });
});

describe('a first request needs no users row', () => {
  it.each([
    ['GET', '/api/fresh-1/tasks', undefined, 200],
    ['GET', '/api/fresh-2/tasks/1', undefined, 404],
    ['PUT', '/api/fresh-3/tasks/1', { title: 'x' }, 404],
    ['DELETE', '/api/fresh-4/tasks/1', undefined, 404],
    ['PATCH', '/api/fresh-5/tasks/1/complete', undefined, 404],
    ['POST', '/api/fresh-6/tasks', { title: 'x' }, 201],
  ] as const)('%s %s answers %i', async (method, path, body, status) => {
    const user = path.split('/')[2]!;
    expect((await call(method, path, { as: { user }, body })).status).toBe(status);
  });
});

describe('precedence: 401, 403, 400 Invalid task ID, 422, other 400s, 404', () => {
  const malformed = { raw: '{"title": ' };

  it.each([
    ['no token beats a bad id and a malformed body', null, 'PUT', '/api/pat/tasks/abc', malformed, 401, 'Unauthorized'],
    ['no token beats a foreign path', null, 'GET', '/api/someone-else/tasks', undefined, 401, 'Unauthorized'],
    ['a foreign path beats a bad id and a malformed body', 'mallory', 'PUT', '/api/pat/tasks/abc', malformed, 403, 'Forbidden'],
    ['a foreign path beats a bad query', 'mallory', 'GET', '/api/pat/tasks?status=bogus&sort=bogus', undefined, 403, 'Forbidden'],
    ['a bad id beats a malformed body', 'pat', 'PUT', '/api/pat/tasks/0', malformed, 400, 'Invalid task ID'],
    ['a bad id beats a missing body', 'pat', 'PATCH', '/api/pat/tasks/-1/status', undefined, 400, 'Invalid task ID'],
    ['422 beats an empty title', 'pat', 'PUT', '/api/pat/tasks/2147483647', { title: '', completed: 'yes' }, 422, 'bool_type'],
    ['422 beats a bad status word', 'pat', 'PUT', '/api/pat/tasks/2147483647', { status: 'bogus', title: 5 }, 422, 'string_type'],
    ['422 beats 404', 'pat', 'PATCH', '/api/pat/tasks/2147483647/status', {}, 422, 'missing'],
    ['an empty title beats 404', 'pat', 'PUT', '/api/pat/tasks/2147483647', { title: ' ' }, 400, 'Title cannot be empty'],
    ['no fields beats 404', 'pat', 'PUT', '/api/pat/tasks/2147483647', {}, 400, 'At least one field (title, description, status, completed, priority, due_date, tags) must be provided'],
    ['a bad status word beats 404', 'pat', 'PATCH', '/api/pat/tasks/2147483647/status', { status: 'bogus' }, 400, "Status must be 'complete' or 'incomplete'"],
    ['disagreement beats 404', 'pat', 'PUT', '/api/pat/tasks/2147483647', { status: 'complete', completed: false }, 400, 'Status and completed disagree'],
  ] as const)('%s', async (_name, user, method, path, body, status, expected) => {
    const response = await call(method, path, { as: user ? { user } : null, body });
    expect(response.status).toBe(status);
    // 422 names the first problem's pydantic type; the others carry the message as `detail.error`.
    if (status === 422) expect(response.json.detail[0].type).toBe(expected);
    else expect(response.json.detail.error).toBe(expected);
  });
});
