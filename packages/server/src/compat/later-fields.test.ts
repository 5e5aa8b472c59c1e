// The fields added after the original's first version (`priority`, `due_date`, `tags`) on the
// compatibility routes: in the task object, in POST and PUT bodies (camelCase too), and their 422s.
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detailError, FIXED_WIDTH_TIMESTAMP, originalClient } from '@tasks/testing';

let t: TestServer;
let call: ReturnType<typeof originalClient>;
const me = { as: { user: 'fiona' } };
beforeAll(async () => {
  t = await startTestServer();
  call = originalClient(t);
});
afterAll(async () => {
  await t?.close();
});

async function create(body: object): Promise<any> {
  const response = await call('POST', '/api/fiona/tasks', { ...me, body });
  expect(response.status, response.text).toBe(201);
  return response.json;
}
const put = (id: number, body: object) => call('PUT', `/api/fiona/tasks/${id}`, { ...me, body });
const get = async (id: number) => (await call('GET', `/api/fiona/tasks/${id}`, me)).json;

describe('the later fields on create and get', () => {
  it('defaults: priority medium, no due date, no tags', async () => {
    const task = await create({ title: 'plain' });
    expect(task).toMatchObject({ priority: 'medium', due_date: null, tags: [] });
    expect(await get(task.id)).toEqual(task);
  });

  it('sets each field; a due date comes back as a fixed-width UTC timestamp', async () => {
    const task = await create({ title: 'rich', priority: 'high', due_date: '2026-12-01T09:30:00+02:00', tags: [' Home ', 'errands', 'HOME'] });
    expect(task).toMatchObject({ priority: 'high', due_date: '2026-12-01T07:30:00.000Z', tags: ['home', 'errands'] });
    expect(task.due_date).toMatch(FIXED_WIDTH_TIMESTAMP);
    expect(await get(task.id)).toEqual(task);
    const listed = (await call('GET', '/api/fiona/tasks', me)).json.find((t: any) => t.id === task.id);
    expect(listed).toEqual(task);
  });

  it('a bare YYYY-MM-DD is that date, answered back as it was sent; null means no due date', async () => {
    expect((await create({ title: 'day', due_date: '2027-02-28' })).due_date).toBe('2027-02-28');
    expect((await create({ title: 'none', due_date: null, tags: null })).due_date).toBeNull();
  });

  it.each([
    ['dueDate', { title: 'a', dueDate: '2026-05-04' }, { due_date: '2026-05-04' }],
    ['dueAt', { title: 'a', dueAt: '2026-05-04T10:00:00Z' }, { due_date: '2026-05-04T10:00:00.000Z' }],
  ])('accepts the camelCase spelling %s', async (_name, body, expected) => {
    expect(await create(body)).toMatchObject(expected);
  });

  it('ignores unknown fields, even ones that look like the later fields', async () => {
    const task = await create({ title: 'extras', Priority: 'high', due: '2026-01-01', tag: 'x', labels: ['y'], priority_level: 3 });
    expect(task).toMatchObject({ priority: 'medium', due_date: null, tags: [] });
  });
});

describe('the later fields on PUT', () => {
  it('sets each one, keeps those left out, and null clears the due date', async () => {
    const task = await create({ title: 'edit me', description: 'd', priority: 'low', due_date: '2026-06-01', tags: ['a'] });

    const prioritised = await put(task.id, { priority: 'high' });
    expect(prioritised.status).toBe(200);
    expect(prioritised.json).toMatchObject({ title: 'edit me', description: 'd', priority: 'high', due_date: '2026-06-01', tags: ['a'] });

    const dated = await put(task.id, { due_date: '2026-07-15T12:00:00.5Z' });
    expect(dated.json).toMatchObject({ priority: 'high', due_date: '2026-07-15T12:00:00.500Z', tags: ['a'] });

    const tagged = await put(task.id, { tags: ['B', 'c'] });
    expect(tagged.json).toMatchObject({ priority: 'high', due_date: '2026-07-15T12:00:00.500Z', tags: ['b', 'c'] });

    const retitled = await put(task.id, { title: 'renamed' });
    expect(retitled.json).toMatchObject({ title: 'renamed', priority: 'high', due_date: '2026-07-15T12:00:00.500Z', tags: ['b', 'c'] });

    const cleared = await put(task.id, { due_date: null });
    expect(cleared.json).toMatchObject({ title: 'renamed', priority: 'high', due_date: null, tags: ['b', 'c'] });
    expect(cleared.json.updated_at > retitled.json.updated_at).toBe(true);
    expect(await get(task.id)).toEqual(cleared.json);
  });

  it('an empty list or null clears the tags', async () => {
    const task = await create({ title: 'tags', tags: ['x'] });
    expect((await put(task.id, { tags: [] })).json.tags).toEqual([]);
    await put(task.id, { tags: ['y'] });
    expect((await put(task.id, { tags: null })).json.tags).toEqual([]);
  });

  it('accepts camelCase spellings: dueDate and dueAt', async () => {
    const task = await create({ title: 'camel' });
    expect((await put(task.id, { dueDate: '2030-01-02' })).json.due_date).toBe('2030-01-02');
    expect((await put(task.id, { dueAt: null })).json.due_date).toBeNull();
  });

  it('a later field alone is a change: no "At least one field" 400', async () => {
    const task = await create({ title: 'alone' });
    for (const body of [{ priority: 'low' }, { due_date: '2026-01-01' }, { tags: ['t'] }, { due_date: null }]) {
      expect((await put(task.id, body)).status).toBe(200);
    }
  });

  it('names every field it can change when none is given', async () => {
    const task = await create({ title: 'nothing' });
    const response = await put(task.id, { labels: ['x'], due: null });
    expect(response.status).toBe(400);
    expect(response.json).toEqual(detailError('At least one field (title, description, status, completed, priority, due_date, tags) must be provided'));
  });
});

describe('a later field out of its domain is a 422 in FastAPI’s shape, and changes nothing', () => {
  const cases: [string, object, { type: string; loc: (string | number)[] }[]][] = [
    ['an unknown priority', { priority: 'urgent' }, [{ type: 'enum', loc: ['body', 'priority'] }]],
    ['a priority in another case', { priority: 'HIGH' }, [{ type: 'enum', loc: ['body', 'priority'] }]],
    ['a numeric priority', { priority: 3 }, [{ type: 'string_type', loc: ['body', 'priority'] }]],
    ['a null priority', { priority: null }, [{ type: 'string_type', loc: ['body', 'priority'] }]],
    ['a due date that is not a date', { due_date: 'tomorrow' }, [{ type: 'value_error', loc: ['body', 'due_date'] }]],
    ['a day that does not exist', { due_date: '2026-02-30' }, [{ type: 'value_error', loc: ['body', 'due_date'] }]],
    ['a date-time without a time zone', { due_date: '2026-02-01T10:00:00' }, [{ type: 'value_error', loc: ['body', 'due_date'] }]],
    ['year 0', { due_date: '0000-06-01' }, [{ type: 'value_error', loc: ['body', 'due_date'] }]],
    ['a numeric due date', { due_date: 1_700_000_000 }, [{ type: 'string_type', loc: ['body', 'due_date'] }]],
    ['a bad dueDate (camelCase) is reported under due_date', { dueDate: 'soon' }, [{ type: 'value_error', loc: ['body', 'due_date'] }]],
    ['tags that are not a list', { tags: 'home' }, [{ type: 'list_type', loc: ['body', 'tags'] }]],
    ['a tag that is not a string', { tags: ['ok', 7] }, [{ type: 'string_type', loc: ['body', 'tags', 1] }]],
    ['an empty tag', { tags: ['ok', '  '] }, [{ type: 'string_too_short', loc: ['body', 'tags', 1] }]],
    ['a 41-character tag', { tags: ['x'.repeat(41)] }, [{ type: 'value_error', loc: ['body', 'tags', 0] }]],
    ['21 distinct tags', { tags: Array.from({ length: 21 }, (_, i) => `tag${i}`) }, [{ type: 'too_long', loc: ['body', 'tags'] }]],
    ['several problems, one entry each', { priority: 'urgent', due_date: 'never', tags: [''] }, [
      { type: 'enum', loc: ['body', 'priority'] },
      { type: 'value_error', loc: ['body', 'due_date'] },
      { type: 'string_too_short', loc: ['body', 'tags', 0] },
    ]],
  ];

  let task: any;
  beforeAll(async () => {
    task = await create({ title: 'guarded', priority: 'low', due_date: '2026-03-03', tags: ['keep'] });
  });

  it.each(cases)('POST with %s', async (_name, fields, expected) => {
    const before = (await call('GET', '/api/fiona/tasks', me)).json.length;
    const response = await call('POST', '/api/fiona/tasks', { ...me, body: { title: 'new', ...fields } });
    expect(response.status).toBe(422);
    expect(response.json.detail).toEqual(expected.map((e) => ({ ...e, msg: expect.any(String) })));
    expect((await call('GET', '/api/fiona/tasks', me)).json.length).toBe(before);
  });

  it.each(cases)('PUT with %s', async (_name, fields, expected) => {
    const response = await put(task.id, { title: 'changed?', ...fields });
    expect(response.status).toBe(422);
    expect(response.json.detail).toEqual(expected.map((e) => ({ ...e, msg: expect.any(String) })));
    expect(await get(task.id)).toEqual(task);
  });

  it('messages say what is expected', async () => {
    const response = await call('POST', '/api/fiona/tasks', { ...me, body: { title: 'x', priority: 'urgent', due_date: 'never' } });
    expect(response.json.detail.map((e: any) => e.msg)).toEqual([
      "Input should be 'low', 'medium' or 'high'",
      'Input should be a valid date (YYYY-MM-DD) or date-time with a time zone (ISO 8601)',
    ]);
  });

  it('a 422 on a later field comes before a 400 on the title (the contract’s precedence)', async () => {
    const response = await call('POST', '/api/fiona/tasks', { ...me, body: { title: '   ', priority: 'urgent' } });
    expect(response.status).toBe(422);
    expect(response.json.detail).toEqual([{ type: 'enum', loc: ['body', 'priority'], msg: expect.any(String) }]);
  });
});
