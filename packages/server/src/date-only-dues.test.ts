// Date-only dues over HTTP on the tRPC surface (the typed client, superjson) and the REST surface
// (plain JSON, /openapi.json checks every answer), with the server's clock fixed around Paris's
// midnight on the day its clocks go forward (2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00Z).
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PARIS = 'Europe/Paris';
let now = new Date('2026-03-28T22:30:00Z'); // 23:30 CET on the 28th in Paris; the 28th in UTC too
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ listen: false, clock: () => now });
});
afterAll(async () => {
  await t?.close();
});

async function rest(user: string, method: string, path: string, body?: unknown) {
  const response = await t.fetchAs(user, path, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as any };
}

describe('tRPC (typed client)', () => {
  const user = 'trpc-dates';

  beforeAll(async () => {
    const client = t.clientFor(user);
    await client.tasks.create.mutate({ title: 'the 28th', dueDate: '2026-03-28' });
    await client.tasks.create.mutate({ title: 'the 29th', dueDate: '2026-03-29' });
    // 23:30 CEST on the 29th in Paris (the 29th starts at 23:00Z on the 28th, ends at 22:00Z on the 29th).
    await client.tasks.create.mutate({ title: '21:30Z on the 29th', dueAt: new Date('2026-03-29T21:30:00Z') });
    await client.tasks.create.mutate({ title: '22:30Z on the 29th', dueAt: new Date('2026-03-29T22:30:00Z') });
  });

  it('carries dueDate as a string and dueAt as a Date', async () => {
    const { items } = await t.clientFor(user).tasks.list.query({ sort: 'title' });
    const byTitle = Object.fromEntries(items.map((task) => [task.title, task]));
    expect(byTitle['the 28th']).toMatchObject({ dueDate: '2026-03-28', dueAt: null });
    expect(byTitle['21:30Z on the 29th']!.dueAt).toBeInstanceOf(Date);
    expect(byTitle['21:30Z on the 29th']!.dueDate).toBeNull();
  });

  it('"today" in Paris moves at its midnight, and the 29th there is 23 hours long', async () => {
    const client = t.clientFor(user);
    const titles = async (input: object) => (await client.tasks.list.query({ sort: 'title', ...input })).items.map((task) => task.title);
    now = new Date('2026-03-28T22:30:00Z');
    expect(await titles({ timeZone: PARIS, dueToday: true })).toEqual(['the 28th']);
    expect(await titles({ timeZone: PARIS, overdue: true })).toEqual([]);
    now = new Date('2026-03-28T23:30:00Z'); // 00:30 on the 29th in Paris, still the 28th in UTC
    expect(await titles({ timeZone: PARIS, overdue: true })).toEqual(['the 28th']);
    expect(await titles({ timeZone: PARIS, dueToday: true })).toEqual(['21:30Z on the 29th', 'the 29th']);
    expect(await titles({ dueToday: true })).toEqual(['the 28th']);
    expect(await client.tasks.stats.query({ timeZone: PARIS })).toMatchObject({ overdue: 1, dueToday: 2 });
    expect(await client.tasks.stats.query()).toMatchObject({ overdue: 0, dueToday: 1 });
  });

  it('refuses a date that does not exist, both kinds at once and an unknown zone, naming the field', async () => {
    const client = t.clientFor(user);
    const issuesOf = async (call: Promise<unknown>) => {
      const error = await call.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      const { data } = error as { data: { httpStatus: number; issues: unknown } };
      expect(data.httpStatus).toBe(400);
      return data.issues as Array<{ path: string; message: string }>;
    };
    expect((await issuesOf(client.tasks.create.mutate({ title: 'x', dueDate: '2026-02-30' })))[0]!.path).toBe('dueDate');
    const both = await issuesOf(client.tasks.create.mutate({ title: 'x', dueDate: '2026-03-01', dueAt: new Date() }));
    expect(both[0]).toMatchObject({ path: 'dueDate', message: expect.stringContaining('dueAt') });
    expect((await issuesOf(client.tasks.list.query({ timeZone: 'Paris' })))[0]!.path).toBe('timeZone');
  });
});

describe('REST (/api/tasks)', () => {
  const user = 'rest-dates';

  it('creates, reads, switches and clears a date-only due; the answers match /openapi.json', async () => {
    const created = await rest(user, 'POST', '/api/tasks', { title: 'file taxes', dueDate: '2026-03-29' });
    expect(created).toMatchObject({ status: 201, json: { dueDate: '2026-03-29', dueAt: null } });
    const path = `/api/tasks/${created.json.id}`;
    expect((await rest(user, 'GET', path)).json).toMatchObject({ dueDate: '2026-03-29', dueAt: null });
    expect((await rest(user, 'PATCH', path, { dueAt: '2026-03-29T08:00:00+02:00' })).json).toMatchObject({
      dueDate: null,
      dueAt: '2026-03-29T06:00:00.000Z',
    });
    expect((await rest(user, 'PUT', path, { dueDate: '2026-03-30' })).json).toMatchObject({ dueDate: '2026-03-30', dueAt: null });
    expect((await rest(user, 'PATCH', path, { dueDate: null })).json).toMatchObject({ dueDate: null, dueAt: null });
    expect(t.documentMismatches).toEqual([]);
  });

  it('lists and counts with ?timeZone= and ?dueToday= across Paris midnight', async () => {
    await rest(user, 'POST', '/api/tasks', { title: 'sat', dueDate: '2026-03-28' });
    await rest(user, 'POST', '/api/tasks', { title: 'sun', dueDate: '2026-03-29' });
    const titles = async (query: string) => (await rest(user, 'GET', `/api/tasks?${query}`)).json.items.map((task: any) => task.title);
    now = new Date('2026-03-28T22:59:00Z'); // 23:59 CET on the 28th
    expect(await titles('timeZone=Europe/Paris&dueToday=true&sort=title')).toEqual(['sat']);
    now = new Date('2026-03-28T23:00:00Z'); // 00:00 on the 29th
    expect(await titles('timeZone=Europe/Paris&dueToday=true&sort=title')).toEqual(['sun']);
    expect(await titles('timeZone=Europe/Paris&overdue=true&sort=title')).toEqual(['sat']);
    expect(await titles('overdue=true&sort=title')).toEqual([]);
    expect(await titles('timeZone=Europe/Paris&sort=dueAt&order=desc')).toEqual(['sun', 'sat', 'file taxes']);
    expect((await rest(user, 'GET', '/api/tasks/stats?timeZone=Europe/Paris')).json).toMatchObject({ overdue: 1, dueToday: 1 });
  });

  it.each([
    ['POST', '/api/tasks', { title: 'x', dueDate: '2026-02-30' }, 'dueDate'],
    ['POST', '/api/tasks', { title: 'x', dueDate: '29/03/2026' }, 'dueDate'],
    ['POST', '/api/tasks', { title: 'x', dueDate: '2026-03-29', dueAt: '2026-03-29T10:00:00Z' }, 'dueDate'],
    ['GET', '/api/tasks?timeZone=Mars/Olympus_Mons', undefined, 'timeZone'],
    ['GET', '/api/tasks?timeZone=%2B02:00', undefined, 'timeZone'],
    ['GET', '/api/tasks?dueToday=yes', undefined, 'dueToday'],
  ])('%s %s %j → 400 naming %s', async (method, path, body, field) => {
    const response = await rest(user, method, path, body);
    expect(response.status).toBe(400);
    expect(response.json.issues.map((issue: any) => issue.path)).toContain(field);
    expect(response.json.message).toContain(field);
  });

  it('documents dueDate, timeZone and dueToday in /openapi.json', async () => {
    const document = (await (await t.fetch('/openapi.json')).json()) as any;
    expect(JSON.stringify(document.components.schemas)).toContain('"dueDate"');
    const list = document.paths['/api/tasks'].get;
    expect(list.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['timeZone', 'dueToday']));
  });
});
