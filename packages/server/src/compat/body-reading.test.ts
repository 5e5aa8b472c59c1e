// How the compatibility routes read a body, in the corners the contract's tables leave implicit: which
// content types are JSON, a JSON `null`, which spelling of a field wins, and the order of a 422's entries.
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originalClient } from '@tasks/testing';

let t: TestServer;
let call: ReturnType<typeof originalClient>;
const me = { as: { user: 'reader' } };
let task: any;
beforeAll(async () => {
  t = await startTestServer();
  call = originalClient(t);
  task = (await call('POST', '/api/reader/tasks', { ...me, body: { title: 'read me' } })).json;
});
afterAll(async () => {
  await t?.close();
});

describe('content types', () => {
  it('reads a body sent with no content type as JSON', async () => {
    const response = await t.server.app.inject({
      method: 'POST',
      url: '/api/reader/tasks',
      headers: { authorization: `Bearer ${await t.tokenFor('reader')}` },
      payload: '{"title": "untyped"}',
    });
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body).title).toBe('untyped');
  });

  it('reads an application/…+json body as JSON', async () => {
    const response = await call('POST', '/api/reader/tasks', { ...me, body: { title: 'suffixed' }, headers: { 'content-type': 'application/vnd.tasks+json; charset=utf-8' } });
    expect(response.status).toBe(201);
    expect(response.json.title).toBe('suffixed');
  });
});

describe.each([
  ['POST', () => '/api/reader/tasks'],
  ['PUT', () => `/api/reader/tasks/${task.id}`],
  ['PATCH', () => `/api/reader/tasks/${task.id}/status`],
])('a JSON null body on %s', (method, path) => {
  it('is 422 missing body, as FastAPI read it', async () => {
    const response = await call(method, path(), { ...me, body: { raw: 'null' } });
    expect(response.status).toBe(422);
    expect(response.json).toEqual({ detail: [{ type: 'missing', loc: ['body'], msg: 'Field required' }] });
  });
});

describe('spellings of one field', () => {
  it('the snake_case spelling wins over a camelCase one given beside it', async () => {
    const created = await call('POST', '/api/reader/tasks', { ...me, body: { title: 'both', due_date: '2026-04-01', dueDate: 'not a date', dueAt: 7 } });
    expect(created.status).toBe(201);
    expect(created.json.due_date).toBe('2026-04-01');
    const cleared = await call('PUT', `/api/reader/tasks/${created.json.id}`, { ...me, body: { due_date: null, dueDate: '2027-01-01' } });
    expect(cleared.status).toBe(200);
    expect(cleared.json.due_date).toBeNull();
  });

  it('dueDate wins over dueAt', async () => {
    const created = await call('POST', '/api/reader/tasks', { ...me, body: { title: 'camel', dueDate: '2026-05-01', dueAt: '2030-01-01' } });
    expect(created.json.due_date).toBe('2026-05-01');
  });
});

describe('a 422 lists every field of the wrong JSON type, in the order FastAPI checked them', () => {
  it('on PUT: title, description, priority, due_date, tags, status, completed', async () => {
    const response = await call('PUT', `/api/reader/tasks/${task.id}`, {
      ...me,
      body: { completed: 'yes', status: 1, tags: 'x', dueDate: 2, priority: [], description: {}, title: false },
    });
    expect(response.status).toBe(422);
    expect(response.json.detail.map((entry: any) => [entry.type, entry.loc.join('.')])).toEqual([
      ['string_type', 'body.title'],
      ['string_type', 'body.description'],
      ['string_type', 'body.priority'],
      ['string_type', 'body.due_date'],
      ['list_type', 'body.tags'],
      ['string_type', 'body.status'],
      ['bool_type', 'body.completed'],
    ]);
    expect((await call('GET', `/api/reader/tasks/${task.id}`, me)).json).toEqual(task);
  });

  it('on POST: title, description, priority, due_date, then each bad tag at its index', async () => {
    const response = await call('POST', '/api/reader/tasks', { ...me, body: { tags: [1, 'ok', null], due_date: false, priority: 1, description: 2 } });
    expect(response.status).toBe(422);
    expect(response.json.detail.map((entry: any) => [entry.type, entry.loc.join('.')])).toEqual([
      ['missing', 'body.title'],
      ['string_type', 'body.description'],
      ['string_type', 'body.priority'],
      ['string_type', 'body.due_date'],
      ['string_type', 'body.tags.0'],
      ['string_type', 'body.tags.2'],
    ]);
  });
});
