// /auth/signup, /auth/signin and /auth/signout as SEED-CONTRACT.md describes them, and their tokens on
// every surface. Every response body of these tests is checked for the passwords and hashes.
import { originalClient, startTestServer, type CallOptions, type CallResult, type TestServer } from '@tasks/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
const bodies: string[] = [];
let call: (method: string, path: string, options?: CallOptions) => Promise<CallResult>;

beforeAll(async () => {
  t = await startTestServer();
  const plain = originalClient(t);
  call = async (method, path, options) => {
    const result = await plain(method, path, options);
    bodies.push(result.text);
    return result;
  };
});
afterAll(async () => {
  await t?.close();
});

const PASSWORDS = ['correct horse', 'wrong horse!', 'the-other-password'];
const signUp = (body: unknown) => call('POST', '/auth/signup', { body });
const signIn = (body: unknown) => call('POST', '/auth/signin', { body });
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('POST /auth/signup', () => {
  it('answers 201 with the user (new UUID v4, email lower-cased, name as given) and a 7-day Bearer token', async () => {
    const { status, json } = await signUp({ email: 'Alice@Example.com', password: PASSWORDS[0], name: 'Alice  Liddell ' });
    expect(status).toBe(201);
    expect(Object.keys(json).sort()).toEqual(['expires_in', 'token', 'token_type', 'user']);
    expect(json).toMatchObject({ user: { email: 'alice@example.com', name: 'Alice  Liddell ' }, token_type: 'Bearer', expires_in: 604_800 });
    expect(Object.keys(json.user).sort()).toEqual(['email', 'id', 'name']);
    expect(json.user.id).toMatch(UUID_V4);
    const claims = decodeJwt(json.token);
    expect(claims).toMatchObject({ sub: json.user.id, email: 'alice@example.com' });
    expect(claims.exp! - claims.iat!).toBe(604_800);
  });

  it('answers 409 for an email already registered, in any case', async () => {
    await signUp({ email: 'bob@example.com', password: PASSWORDS[0], name: 'Bob' });
    const again = await signUp({ email: 'BOB@EXAMPLE.COM', password: PASSWORDS[2], name: 'Robert' });
    expect(again).toMatchObject({ status: 409, json: { detail: { error: 'Conflict', message: 'Email already registered' } } });
  });

  it.each([
    [{ password: 'long-enough', name: 'N' }, [{ type: 'missing', loc: ['body', 'email'], msg: 'Field required' }]],
    [{ email: 'a@example.com', name: 'N' }, [{ type: 'missing', loc: ['body', 'password'], msg: 'Field required' }]],
    [{ email: 'a@example.com', password: 'long-enough' }, [{ type: 'missing', loc: ['body', 'name'], msg: 'Field required' }]],
    [{ email: 42, password: 'long-enough', name: 'N' }, [{ type: 'string_type', loc: ['body', 'email'], msg: 'Input should be a valid string' }]],
    [{ email: 'not-an-email', password: 'long-enough', name: 'N' }, [{ type: 'value_error', loc: ['body', 'email'], msg: 'value is not a valid email address' }]],
    [
      { email: 'a@example.com', password: 'short', name: 'N' },
      [{ type: 'string_too_short', loc: ['body', 'password'], msg: 'String should have at least 8 characters', ctx: { min_length: 8 } }],
    ],
    [
      { email: 'a@example.com', password: 'p'.repeat(73), name: 'N' },
      [{ type: 'string_too_long', loc: ['body', 'password'], msg: 'String should have at most 72 characters', ctx: { max_length: 72 } }],
    ],
    [
      { email: 'a@example.com', password: 'long-enough', name: '' },
      [{ type: 'string_too_short', loc: ['body', 'name'], msg: 'String should have at least 1 character', ctx: { min_length: 1 } }],
    ],
    [
      { email: 'a@example.com', password: 'long-enough', name: 'n'.repeat(256) },
      [{ type: 'string_too_long', loc: ['body', 'name'], msg: 'String should have at most 255 characters', ctx: { max_length: 255 } }],
    ],
    [{ email: 'a@example.com', password: 'long-enough', name: 'nul\u0000' }, [{ type: 'value_error', loc: ['body', 'name'], msg: 'Value error, must not contain NUL characters' }]],
  ])('answers 422 in FastAPI’s list shape for %o', async (body, detail) => {
    expect(await signUp(body)).toMatchObject({ status: 422, json: { detail } });
  });

  it('lists every problem, and answers 422 for a missing, malformed or non-object body', async () => {
    const all = await signUp({ email: 'x', password: 'short' });
    expect(all.json.detail.map((e: { loc: string[] }) => e.loc.join('.'))).toEqual(['body.name']);
    const domain = await signUp({ email: 'x', password: 'short', name: '' });
    expect(domain.json.detail.map((e: { loc: string[] }) => e.loc.join('.'))).toEqual(['body.email', 'body.password', 'body.name']);
    expect((await call('POST', '/auth/signup')).json).toEqual({ detail: [{ type: 'missing', loc: ['body'], msg: 'Field required' }] });
    expect((await call('POST', '/auth/signup', { body: { raw: '{"email":' } })).json.detail[0].type).toBe('json_invalid');
    expect((await call('POST', '/auth/signup', { body: ['a'] })).json.detail[0].type).toBe('model_attributes_type');
  });
});

describe('POST /auth/signin', () => {
  it('answers 200 with the same shape, whatever the case of the email', async () => {
    const created = await signUp({ email: 'carol@example.com', password: PASSWORDS[0], name: 'Carol' });
    const { status, json } = await signIn({ email: 'Carol@Example.COM', password: PASSWORDS[0] });
    expect(status).toBe(200);
    expect(json).toMatchObject({ user: created.json.user, token_type: 'Bearer', expires_in: 604_800 });
  });

  it('answers one 401 for a wrong password and for an unknown email', async () => {
    await signUp({ email: 'dave@example.com', password: PASSWORDS[0], name: 'Dave' });
    const wrong = await signIn({ email: 'dave@example.com', password: PASSWORDS[1] });
    const unknown = await signIn({ email: 'nobody@example.com', password: PASSWORDS[0] });
    const expected = { detail: { error: 'Unauthorized', message: 'Invalid email or password' } };
    expect(wrong).toMatchObject({ status: 401, json: expected });
    expect(unknown).toMatchObject({ status: 401, json: expected });
  });

  it('answers 422 for a missing field', async () => {
    expect((await signIn({ email: 'dave@example.com' })).json).toEqual({ detail: [{ type: 'missing', loc: ['body', 'password'], msg: 'Field required' }] });
    expect((await signIn({ password: 'x' })).status).toBe(422);
  });
});

describe('POST /auth/signout', () => {
  it('answers 200 to the front end’s bodiless call with a JSON content type, with or without a token', async () => {
    const expected = { status: 200, json: { message: 'Signed out successfully', status: 'success' } };
    expect(await call('POST', '/auth/signout')).toMatchObject(expected);
    expect(await call('POST', '/auth/signout', { as: { user: 'someone' } })).toMatchObject(expected);
    expect(await call('POST', '/auth/signout', { as: { token: 'not-a-token' }, body: {} })).toMatchObject(expected);
  });

  it('answers 405 with Allow for another method, and 404 for another /auth path', async () => {
    const get = await call('GET', '/auth/signout');
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect(await call('POST', '/auth/other')).toMatchObject({ status: 404, json: { detail: 'Not Found' } });
  });
});

describe('the tokens on every surface', () => {
  it('are accepted by the original routes, /api/tasks and /trpc as the account’s user', async () => {
    const { json: session } = await signUp({ email: 'erin@example.com', password: PASSWORDS[0], name: 'Erin' });
    const as = { token: session.token };
    const created = await call('POST', `/api/${session.user.id}/tasks`, { as, body: { title: 'From the front end' } });
    expect(created).toMatchObject({ status: 201, json: { user_id: session.user.id } });
    const rest = await fetch(`${t.url}/api/tasks`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(rest.status).toBe(200);
    const trpc = await fetch(`${t.trpcUrl}/tasks.list`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(trpc.status).toBe(200);
    expect((await call('GET', `/api/${session.user.id}/tasks`, { as })).json.map((task: { title: string }) => task.title)).toEqual(['From the front end']);
  });

  it('never carried a password or a hash in any response of these tests', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) {
      expect(body).not.toMatch(/\$argon2/);
      for (const password of PASSWORDS) expect(body).not.toContain(password);
    }
  });
});

describe('servers that keep no accounts', () => {
  it.each([
    [{ AUTH_ACCOUNTS: 'false' }, 'Accounts are not served by this server'],
    [{ AUTH_SECRET: '', AUTH_JWKS_URL: 'http://127.0.0.1:9/api/auth/jwks' }, 'Accounts are managed by the identity provider'],
  ])('with %o answer 404 on every /auth route, whatever the body', async (env, message) => {
    const other = await startTestServer({ env });
    try {
      const plain = originalClient(other);
      for (const path of ['/auth/signup', '/auth/signin', '/auth/signout']) {
        const answer = await plain('POST', path, { body: { raw: 'not json' } });
        expect(answer.status).toBe(404);
        expect(answer.json.detail).toMatchObject({ error: 'Not Found', message: expect.stringContaining(message) });
      }
      const trpc = await fetch(`${other.trpcUrl}/auth.signIn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"json":{}}' });
      expect(trpc.status).toBe(404);
    } finally {
      await other.close();
    }
  });
});
