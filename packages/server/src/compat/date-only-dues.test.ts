// Date-only dues on the original routes with APP_TIME_ZONE=America/New_York: "today" is New York's
// calendar date, which turns at 05:00Z in winter and 04:00Z in summer (the clocks go forward on
// 2026-03-08), so the computed fields change at New York's midnight, and count calendar days.
import { detailError, FIXED_WIDTH_TIMESTAMP, originalClient, startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let now = new Date('2026-03-08T04:30:00Z'); // 23:30 EST on the 7th in New York; the 8th in UTC
let t: TestServer;
let call: ReturnType<typeof originalClient>;
const me = { as: { user: 'nyc' } };
beforeAll(async () => {
  t = await startTestServer({ env: { APP_TIME_ZONE: 'America/New_York' }, clock: () => now });
  call = originalClient(t);
});
afterAll(async () => {
  await t?.close();
});

async function create(body: object): Promise<any> {
  const response = await call('POST', '/api/nyc/tasks', { ...me, body });
  expect(response.status, response.text).toBe(201);
  return response.json;
}
const fields = (task: any) => [task.is_overdue, task.is_due_today, task.days_until_due];
const byTitle = async () => Object.fromEntries((await call('GET', '/api/nyc/tasks', me)).json.map((task: any) => [task.title, fields(task)]));

describe('the computed due fields on the server’s calendar', () => {
  beforeAll(async () => {
    await create({ title: 'date 7th', due_date: '2026-03-07' });
    await create({ title: 'date 9th', due_date: '2026-03-09' });
    await create({ title: 'instant 04:00Z on the 8th', due_date: '2026-03-08T04:00:00Z' }); // 23:00 EST on the 7th
    await create({ title: 'instant 03:30Z on the 9th', due_date: '2026-03-09T03:30:00Z' }); // 23:30 EDT on the 8th
    await create({ title: 'no due' });
  });

  it('answers a date as YYYY-MM-DD and an instant as the fixed-width timestamp', async () => {
    const listed = (await call('GET', '/api/nyc/tasks', me)).json;
    const dues = Object.fromEntries(listed.map((task: any) => [task.title, task.due_date]));
    expect(dues).toEqual({
      'date 7th': '2026-03-07',
      'date 9th': '2026-03-09',
      'instant 04:00Z on the 8th': '2026-03-08T04:00:00.000Z',
      'instant 03:30Z on the 9th': '2026-03-09T03:30:00.000Z',
      'no due': null,
    });
    expect(dues['instant 03:30Z on the 9th']).toMatch(FIXED_WIDTH_TIMESTAMP);
  });

  it('before New York’s midnight the 7th is today; after it, overdue', async () => {
    now = new Date('2026-03-08T04:30:00Z');
    expect(await byTitle()).toEqual({
      'date 7th': [false, true, 0],
      'date 9th': [false, false, 2],
      'instant 04:00Z on the 8th': [true, true, 0],
      'instant 03:30Z on the 9th': [false, false, 1],
      'no due': [false, false, null],
    });
    now = new Date('2026-03-08T05:30:00Z'); // 00:30 EST on the 8th
    expect(await byTitle()).toEqual({
      'date 7th': [true, false, -1],
      'date 9th': [false, false, 1],
      'instant 04:00Z on the 8th': [true, false, -1],
      'instant 03:30Z on the 9th': [false, true, 0],
      'no due': [false, false, null],
    });
  });

  it('the 8th is 23 hours long: at 03:59Z on the 9th it is still today, at 04:00Z the 9th is', async () => {
    now = new Date('2026-03-09T03:59:00Z');
    expect((await byTitle())['date 9th']).toEqual([false, false, 1]);
    now = new Date('2026-03-09T04:00:00Z');
    expect((await byTitle())['date 9th']).toEqual([false, true, 0]);
    expect((await byTitle())['instant 03:30Z on the 9th']).toEqual([true, false, -1]);
  });

  it('?sort=due_date places a date at the start of its day in New York; -due_date reverses it; no due last', async () => {
    // Keys: the 7th at 05:00Z on the 7th; 04:00Z on the 8th; the 9th at 04:00Z on the 9th (EDT), after 03:30Z.
    const titles = async (sort: string) => (await call('GET', `/api/nyc/tasks?sort=${sort}`, me)).json.map((task: any) => task.title);
    const soonest = ['date 7th', 'instant 04:00Z on the 8th', 'instant 03:30Z on the 9th', 'date 9th'];
    expect(await titles('due_date')).toEqual([...soonest, 'no due']);
    expect(await titles('-due_date')).toEqual([...soonest].reverse().concat('no due'));
  });

  it('a day that does not exist is a 422 naming due_date, and changes nothing', async () => {
    const task = await create({ title: 'keep', due_date: '2026-03-10' });
    for (const due_date of ['2026-02-30', '2026-02-29', '0000-01-01']) {
      const response = await call('PUT', `/api/nyc/tasks/${task.id}`, { ...me, body: { due_date } });
      expect(response.status).toBe(422);
      expect(response.json.detail).toEqual([expect.objectContaining({ loc: ['body', 'due_date'] })]);
    }
    const created = await call('POST', '/api/nyc/tasks', { ...me, body: { title: 'x', due_date: '2026-04-31' } });
    expect(created.status).toBe(422);
    expect((await call('GET', `/api/nyc/tasks/${task.id}`, me)).json.due_date).toBe('2026-03-10');
    expect((await call('GET', '/api/nyc/tasks/999999', me)).json).toEqual(detailError('Task not found'));
  });
});
