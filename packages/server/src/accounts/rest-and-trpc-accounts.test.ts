// The same accounts on the other surfaces: POST /api/auth/signup|signin in the /api style (JSON
// `{code, message, issues?}` errors, documented in /openapi.json, every response checked against it by
// the harness) and `auth.signUp` / `auth.signIn` through the typed client over a real socket.
import { createTasksClient } from '@tasks/client';
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close(); // fails on any response that did not match /openapi.json
});

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as any };
};

describe('REST /api/auth', () => {
  it('signs up (201, no Location) and in (200) with { user, token, expiresIn }; the token works on /api/tasks', async () => {
    const signedUp = await post('/api/auth/signup', { email: 'Rest@Example.com', password: 'rest-password', name: 'Rest' });
    expect(signedUp.status).toBe(201);
    expect(signedUp.headers.get('location')).toBeNull();
    expect(signedUp.json).toEqual({ user: { id: expect.any(String), email: 'rest@example.com', name: 'Rest' }, token: expect.any(String), expiresIn: 604_800 });
    const signedIn = await post('/api/auth/signin', { email: 'rest@example.com', password: 'rest-password' });
    expect(signedIn).toMatchObject({ status: 200, json: { user: signedUp.json.user, expiresIn: 604_800 } });
    const tasks = await fetch(`${t.url}/api/tasks`, { method: 'POST', headers: { authorization: `Bearer ${signedIn.json.token}`, 'content-type': 'application/json' }, body: '{"title":"x"}' });
    expect(((await tasks.json()) as { userId: string }).userId).toBe(signedUp.json.user.id);
  });

  it('answers 409, 401 and 400 in the /api error shape', async () => {
    expect(await post('/api/auth/signup', { email: 'REST@example.com', password: 'another-password', name: 'R' })).toMatchObject({
      status: 409,
      json: { code: 'CONFLICT', message: 'Email already registered' },
    });
    const wrong = await post('/api/auth/signin', { email: 'rest@example.com', password: 'wrong-password' });
    expect(wrong).toMatchObject({ status: 401, json: { code: 'UNAUTHORIZED', message: 'Invalid email or password' } });
    const invalid = await post('/api/auth/signup', { email: 'nope', password: 'short', name: 'N' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.issues.map((i: { path: string }) => i.path)).toEqual(['email', 'password']);
    expect(JSON.stringify(invalid.json)).not.toContain('short');
  });

  it('answers 405 with Allow for another method', async () => {
    const response = await fetch(`${t.url}/api/auth/signin`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('is documented in /openapi.json under its own tag, without bearer security', async () => {
    const document = (await (await fetch(`${t.url}/openapi.json`)).json()) as any;
    const signUp = document.paths['/api/auth/signup'].post;
    const signIn = document.paths['/api/auth/signin'].post;
    for (const operation of [signUp, signIn]) {
      expect(operation.tags).toEqual(['auth']);
      expect(operation.security).toEqual([]);
      expect(operation.requestBody.required).toBe(true);
    }
    expect(Object.keys(signUp.responses).sort()).toEqual(['201', '400', '404', '409', '413', '415', '429', '503']);
    expect(Object.keys(signIn.responses).sort()).toEqual(['200', '400', '401', '404', '413', '415', '429', '503']);
    expect(signUp.responses['201'].headers).toBeUndefined();
    expect(signIn.responses['401'].content['application/json'].example).toEqual({ code: 'UNAUTHORIZED', message: 'Invalid email or password' });
    expect(Object.keys(signUp.requestBody.content['application/json'].schema.properties)).toEqual(['email', 'password', 'name']);
    expect(document.tags.map((tag: { name: string }) => tag.name)).toContain('auth');
  });
});

describe('the typed client', () => {
  it('signs up and in with auth.signUp / auth.signIn, then works with the token it got', async () => {
    const anonymous = createTasksClient({ url: t.trpcUrl });
    const made = await anonymous.auth.signUp.mutate({ email: 'typed@example.com', password: 'typed-password', name: 'Typed' });
    const { user, token, expiresIn } = await anonymous.auth.signIn.mutate({ email: 'Typed@example.com', password: 'typed-password' });
    expect(user).toEqual(made.user);
    expect(expiresIn).toBe(604_800);
    const client = createTasksClient({ url: t.trpcUrl, token });
    expect((await client.tasks.create.mutate({ title: 'typed' })).userId).toBe(user.id);
    const refused = await anonymous.auth.signIn.mutate({ email: 'typed@example.com', password: 'nope' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ message: 'Invalid email or password', data: { code: 'UNAUTHORIZED', httpStatus: 401 } });
  });
});

describe('a server that keeps no accounts', () => {
  it('answers 404 NOT_FOUND on /api/auth, saying why', async () => {
    const other = await startTestServer({ env: { AUTH_ACCOUNTS: 'false' } });
    try {
      const response = await fetch(`${other.url}/api/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ code: 'NOT_FOUND', message: 'Accounts are not served by this server' });
    } finally {
      await other.close();
    }
  });
});
