// Every row of SEED-CONTRACT.md's error table, with its status and message.
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detailError, originalClient } from '@tasks/testing';

let t: TestServer;
let call: ReturnType<typeof originalClient>;
const me = { as: { user: 'erin' } };
let task: any;
beforeAll(async () => {
  t = await startTestServer();
  call = originalClient(t);
  task = (await call('POST', '/api/erin/tasks', { ...me, body: { title: 'original', description: 'kept' } })).json;
});
afterAll(async () => {
  await t?.close();
});

const taskPath = (suffix = '') => `/api/erin/tasks/${task.id}${suffix}`;
/** The task as stored, to prove a rejected request changed nothing. */
const current = async () => (await call('GET', taskPath(), me)).json;

describe('422 in FastAPI’s shape', () => {
  it.each([
    ['create without title', 'POST', '/api/erin/tasks', { description: 'x' }, [{ type: 'missing', loc: ['body', 'title'], msg: 'Field required' }]],
    ['create with a numeric title', 'POST', '/api/erin/tasks', { title: 42 }, [{ type: 'string_type', loc: ['body', 'title'], msg: 'Input should be a valid string' }]],
    ['create with a null title', 'POST', '/api/erin/tasks', { title: null }, [{ type: 'string_type', loc: ['body', 'title'], msg: 'Input should be a valid string' }]],
    ['create with a numeric description', 'POST', '/api/erin/tasks', { title: 'ok', description: 5 }, [{ type: 'string_type', loc: ['body', 'description'], msg: 'Input should be a valid string' }]],
    ['one entry per problem', 'POST', '/api/erin/tasks', { title: false, description: [] }, [
      { type: 'string_type', loc: ['body', 'title'], msg: 'Input should be a valid string' },
      { type: 'string_type', loc: ['body', 'description'], msg: 'Input should be a valid string' },
    ]],
    ['PUT with a string for completed', 'PUT', 'TASK', { completed: 'false' }, [{ type: 'bool_type', loc: ['body', 'completed'], msg: 'Input should be a valid boolean' }]],
    ['PUT with a numeric title', 'PUT', 'TASK', { title: 7 }, [{ type: 'string_type', loc: ['body', 'title'], msg: 'Input should be a valid string' }]],
    ['PUT with a numeric status', 'PUT', 'TASK', { status: 1 }, [{ type: 'string_type', loc: ['body', 'status'], msg: 'Input should be a valid string' }]],
    ['/status without status', 'PATCH', 'TASK/status', {}, [{ type: 'missing', loc: ['body', 'status'], msg: 'Field required' }]],
    ['/status with a null status', 'PATCH', 'TASK/status', { status: null }, [{ type: 'string_type', loc: ['body', 'status'], msg: 'Input should be a valid string' }]],
    ['/status with a boolean status', 'PATCH', 'TASK/status', { status: true }, [{ type: 'string_type', loc: ['body', 'status'], msg: 'Input should be a valid string' }]],
  ])('%s', async (_name, method, path, body, detail) => {
    const before = await current();
    const response = await call(method, path.replace('TASK', taskPath()), { ...me, body });
    expect(response.status).toBe(422);
    expect(response.json).toEqual({ detail });
    expect(await current()).toEqual(before);
  });

  describe.each([
    ['POST', '/api/erin/tasks'],
    ['PUT', 'TASK'],
    ['PATCH', 'TASK/status'],
  ])('a bad body on %s %s', (method, path) => {
    const send = (body: string | undefined, headers?: Record<string, string>) =>
      call(method, path.replace('TASK', taskPath()), { ...me, body: body === undefined ? undefined : { raw: body }, headers });

    it('missing (JSON content type, empty body) is 422 missing body', async () => {
      const response = await send(undefined);
      expect(response.status).toBe(422);
      expect(response.json).toEqual({ detail: [{ type: 'missing', loc: ['body'], msg: 'Field required' }] });
    });

    it('malformed JSON is 422 json_invalid', async () => {
      const response = await send('{"title": ');
      expect(response.status).toBe(422);
      expect(response.json.detail).toHaveLength(1);
      expect(response.json.detail[0]).toMatchObject({ type: 'json_invalid', msg: 'JSON decode error' });
      expect(response.json.detail[0].loc[0]).toBe('body');
    });

    it.each(['[]', '"text"', '42', 'true'])('%s (not an object) is 422 model_attributes_type', async (raw) => {
      const response = await send(raw);
      expect(response.status).toBe(422);
      expect(response.json).toEqual({
        detail: [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from' }],
      });
    });

    it('a body that is not JSON (text/plain) is 422', async () => {
      const response = await send('title=x', { 'content-type': 'text/plain' });
      expect(response.status).toBe(422);
      expect(response.json.detail[0].type).toBe('model_attributes_type');
    });
  });
});

describe('400 with {"detail": {"error": …}}', () => {
  const long = (n: number) => 'x'.repeat(n);

  it.each([
    ['create with an empty title', 'POST', '/api/erin/tasks', { title: '' }, 'Title is required'],
    ['create with a whitespace title', 'POST', '/api/erin/tasks', { title: ' \t\n ' }, 'Title is required'],
    ['update with an empty title', 'PUT', 'TASK', { title: '' }, 'Title cannot be empty'],
    ['update with a whitespace title', 'PUT', 'TASK', { title: '   ' }, 'Title cannot be empty'],
    ['update with a null title', 'PUT', 'TASK', { title: null }, 'Title cannot be empty'],
    ['create with a 256-character title', 'POST', '/api/erin/tasks', { title: long(256) }, 'Title must be 255 characters or less'],
    ['update with a 256-character title', 'PUT', 'TASK', { title: long(256) }, 'Title must be 255 characters or less'],
    ['create with a 5001-character description', 'POST', '/api/erin/tasks', { title: 't', description: long(5001) }, 'Description must be 5000 characters or less'],
    ['update with a 5001-character description', 'PUT', 'TASK', { description: long(5001) }, 'Description must be 5000 characters or less'],
    ['update with a valid title and a too-long description', 'PUT', 'TASK', { title: 'new', description: long(5001) }, 'Description must be 5000 characters or less'],
    ['PUT with an empty object', 'PUT', 'TASK', {}, 'At least one field (title, description, status, completed, priority, due_date, tags) must be provided'],
    ['PUT with only unknown fields', 'PUT', 'TASK', { user_id: 'x', priority_level: 1 }, 'At least one field (title, description, status, completed, priority, due_date, tags) must be provided'],
    ['PUT with null status and completed', 'PUT', 'TASK', { status: null, completed: null }, 'At least one field (title, description, status, completed, priority, due_date, tags) must be provided'],
    ['PUT whose status and completed disagree', 'PUT', 'TASK', { status: 'complete', completed: false }, 'Status and completed disagree'],
    ['PUT with an unknown status', 'PUT', 'TASK', { status: 'done' }, "Status must be 'complete' or 'incomplete'"],
    ['/status with an unknown status', 'PATCH', 'TASK/status', { status: 'archived' }, "Status must be 'complete' or 'incomplete'"],
    ['/status with an empty status', 'PATCH', 'TASK/status', { status: '' }, "Status must be 'complete' or 'incomplete'"],
    ['a title with a NUL character', 'POST', '/api/erin/tasks', { title: 'a\u0000b' }, 'title must not contain NUL characters'],
  ])('%s', async (_name, method, path, body, message) => {
    const before = await current();
    const response = await call(method, path.replace('TASK', taskPath()), { ...me, body });
    expect(response.status).toBe(400);
    expect(response.json).toEqual(detailError(message));
    expect(await current()).toEqual(before);
  });

  it('measures the title after trimming: 255 characters with spaces around are fine', async () => {
    const response = await call('POST', '/api/erin/tasks', { ...me, body: { title: `  ${long(255)}  `, description: long(5000) } });
    expect(response.status).toBe(201);
    expect(response.json.title).toBe(long(255));
  });

  it.each(['bogus', 'done', 'true'])('?status=%s', async (status) => {
    const response = await call('GET', `/api/erin/tasks?status=${status}`, me);
    expect(response.status).toBe(400);
    expect(response.json).toEqual(detailError("Invalid status value. Must be 'incomplete' or 'complete'"));
  });

  it.each(['bogus', 'PRIORITY', 'due-date', '%20priority', 'created_at'])('?sort=%s (matched exactly)', async (sort) => {
    const response = await call('GET', `/api/erin/tasks?sort=${sort}`, me);
    expect(response.status).toBe(400);
    expect(response.json).toEqual(detailError("Invalid sort value. Must be 'priority', 'due_date', '-due_date', or omitted"));
  });

  describe.each(['abc', '1.5', '0', '-1', '99999999999', '2147483648', '1e3', '%20'])('{id} = %s', (id) => {
    it.each([
      ['GET', ''],
      ['PUT', ''],
      ['DELETE', ''],
      ['PATCH', '/complete'],
      ['PATCH', '/incomplete'],
      ['PATCH', '/status'],
    ])('%s …%s answers 400 Invalid task ID', async (method, suffix) => {
      const body = method === 'PUT' ? { title: 'x' } : suffix === '/status' ? { status: 'complete' } : undefined;
      const response = await call(method, `/api/erin/tasks/${id}${suffix}`, { ...me, body });
      expect(response.status).toBe(400);
      expect(response.json).toEqual(detailError('Invalid task ID'));
    });
  });
});

describe('404 Task not found', () => {
  it.each([
    ['GET', '', undefined],
    ['PUT', '', { title: 'x' }],
    ['DELETE', '', undefined],
    ['PATCH', '/complete', undefined],
    ['PATCH', '/incomplete', undefined],
    ['PATCH', '/status', { status: 'complete' }],
  ])('%s …%s on a task that does not exist (largest valid id)', async (method, suffix, body) => {
    const response = await call(method, `/api/erin/tasks/2147483647${suffix}`, { ...me, body });
    expect(response.status).toBe(404);
    expect(response.json).toEqual(detailError('Task not found'));
  });

  it.each([
    ['GET', '', undefined],
    ['PUT', '', { title: 'stolen', description: null }],
    ['DELETE', '', undefined],
    ['PATCH', '/complete', undefined],
    ['PATCH', '/incomplete', undefined],
    ['PATCH', '/status', { status: 'complete' }],
  ])('%s …%s on another user’s task, under your own path: 404, and the task is unchanged', async (method, suffix, body) => {
    const victim = (await call('POST', '/api/victor/tasks', { as: { user: 'victor' }, body: { title: 'mine', description: 'private' } })).json;
    const response = await call(method, `/api/erin/tasks/${victim.id}${suffix}`, { ...me, body });
    expect(response.status).toBe(404);
    expect(response.json).toEqual(detailError('Task not found'));
    expect(response.text).not.toContain('private');
    const after = await call('GET', `/api/victor/tasks/${victim.id}`, { as: { user: 'victor' } });
    expect(after.json).toEqual(victim);
  });
});

describe('no internals in any error body', () => {
  it('never shows a stack, SQL or driver text', async () => {
    const responses = await Promise.all([
      call('POST', '/api/erin/tasks', { ...me, body: { title: '\ud800' } }),
      call('POST', '/api/erin/tasks', { ...me, body: { raw: '{"title": "x"' } }),
      call('PUT', taskPath(), { ...me, body: { description: 'a\u0000' } }),
    ]);
    for (const response of responses) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.text).not.toMatch(/\bat .*\.ts:\d+|SELECT|INSERT|UPDATE tasks|constraint|pg_|ZodError|TRPCError/i);
    }
  });
});
