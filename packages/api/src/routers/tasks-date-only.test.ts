// Date-only dues through the procedures, at fixed instants around New York's midnight and its
// spring-forward day (2026-03-08: 02:00 EST becomes 03:00 EDT, so that day is 23 hours long).
import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext } from '../context.ts';
import { createCaller } from '../router.ts';
import type { Task } from '../schemas.ts';
import { clientErrorMessage } from '../trpc.ts';

let database: TestDatabase;
const NY = 'America/New_York';
/** A caller whose "now" is `instant`. */
const at = (userId: string, instant: string) =>
  createCaller(createInnerContext({ db: database.db, userId, clock: () => new Date(instant) }));

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

/** The error's code and the message every surface sends for it (`field: problem` for bad input). */
async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: clientErrorMessage(error).message };
    throw error;
  }
  throw new Error('expected the call to fail');
}

const titles = (page: { items: Task[] }) => page.items.map((t) => t.title);

describe('create and update take an instant or a date', () => {
  it('a date-only due is stored and answered as its date, with no instant', async () => {
    const user = at('d-create', '2026-03-01T12:00:00Z');
    const task = await user.tasks.create({ title: 'pay rent', dueDate: '2026-03-08' });
    expect(task).toMatchObject({ dueAt: null, dueDate: '2026-03-08' });
    expect(await user.tasks.get({ id: task.id })).toMatchObject({ dueAt: null, dueDate: '2026-03-08' });
    expect((await user.tasks.create({ title: 'leap', dueDate: '2024-02-29' })).dueDate).toBe('2024-02-29');
    expect((await user.tasks.create({ title: 'no due' })).dueDate).toBeNull();
  });

  it('setting one kind clears the other; null on either clears the due', async () => {
    const user = at('d-update', '2026-03-01T12:00:00Z');
    const { id } = await user.tasks.create({ title: 'x', dueAt: new Date('2026-03-08T15:00:00Z') });
    expect(await user.tasks.update({ id, dueDate: '2026-03-09' })).toMatchObject({ dueAt: null, dueDate: '2026-03-09' });
    expect(await user.tasks.update({ id, dueAt: new Date('2026-03-10T09:00:00Z') })).toMatchObject({
      dueAt: new Date('2026-03-10T09:00:00Z'),
      dueDate: null,
    });
    expect(await user.tasks.update({ id, dueDate: '2026-03-11' })).toMatchObject({ dueDate: '2026-03-11' });
    expect(await user.tasks.update({ id, title: 'renamed' })).toMatchObject({ dueAt: null, dueDate: '2026-03-11' });
    expect(await user.tasks.update({ id, dueDate: null })).toMatchObject({ dueAt: null, dueDate: null });
    await user.tasks.update({ id, dueDate: '2026-03-12' });
    expect(await user.tasks.update({ id, dueAt: null })).toMatchObject({ dueAt: null, dueDate: null });
    expect(await user.tasks.update({ id, dueAt: null, dueDate: '2026-03-13' })).toMatchObject({ dueAt: null, dueDate: '2026-03-13' });
  });

  it.each(['2026-02-30', '2026-13-01', '2025-02-29', '0000-01-01', '2026-3-8', '2026-03-08T00:00:00Z', ' 2026-03-08', ''])(
    'dueDate %j is a BAD_REQUEST naming dueDate',
    async (dueDate) => {
      const { code, message } = await failure(at('d-bad', '2026-03-01T12:00:00Z').tasks.create({ title: 'x', dueDate }));
      expect(code).toBe('BAD_REQUEST');
      expect(message).toMatch(/^dueDate: /);
    },
  );

  it('both kinds at once is a BAD_REQUEST naming both fields, on create and update', async () => {
    const user = at('d-both', '2026-03-01T12:00:00Z');
    const both = { dueAt: new Date('2026-03-08T15:00:00Z'), dueDate: '2026-03-08' };
    const created = await failure(user.tasks.create({ title: 'x', ...both }));
    expect(created.code).toBe('BAD_REQUEST');
    expect(created.message).toMatch(/dueDate: .*dueAt.*dueDate/);
    const { id } = await user.tasks.create({ title: 'y' });
    expect((await failure(user.tasks.update({ id, ...both }))).message).toMatch(/dueDate: .*dueAt/);
    expect(await user.tasks.get({ id })).toMatchObject({ dueAt: null, dueDate: null });
  });
});

describe('overdue and due today across New York’s midnight', () => {
  // 04:30Z is 23:30 on the 7th in New York (EST); 05:30Z is 00:30 on the 8th. In UTC both are the 8th.
  const beforeMidnight = '2026-03-08T04:30:00Z';
  const afterMidnight = '2026-03-08T05:30:00Z';
  const user = 'd-midnight';

  beforeAll(async () => {
    const caller = at(user, beforeMidnight);
    await caller.tasks.create({ title: 'the 7th', dueDate: '2026-03-07' });
    await caller.tasks.create({ title: 'the 8th', dueDate: '2026-03-08' });
    await caller.tasks.create({ title: 'the 6th, done', dueDate: '2026-03-06' }).then(({ id }) => caller.tasks.complete({ id }));
    await caller.tasks.create({ title: 'at 04:00Z', dueAt: new Date('2026-03-08T04:00:00Z') });
    await caller.tasks.create({ title: 'at 05:00Z', dueAt: new Date('2026-03-08T05:00:00Z') });
    await caller.tasks.create({ title: 'no due' });
  });

  const list = (instant: string, input: Record<string, unknown>) =>
    at(user, instant)
      .tasks.list({ sort: 'title', ...input })
      .then(titles);

  it('before midnight there: the 7th is due today, not overdue; in UTC it is overdue', async () => {
    expect(await list(beforeMidnight, { timeZone: NY, overdue: true })).toEqual(['at 04:00Z']);
    expect(await list(beforeMidnight, { timeZone: NY, dueToday: true })).toEqual(['at 04:00Z', 'the 7th']);
    expect(await list(beforeMidnight, { overdue: true })).toEqual(['at 04:00Z', 'the 7th']);
    expect(await list(beforeMidnight, { timeZone: 'UTC', dueToday: true })).toEqual(['at 04:00Z', 'at 05:00Z', 'the 8th']);
  });

  it('after midnight there: the 7th is overdue and the 8th is due today', async () => {
    expect(await list(afterMidnight, { timeZone: NY, overdue: true })).toEqual(['at 04:00Z', 'at 05:00Z', 'the 7th']);
    expect(await list(afterMidnight, { timeZone: NY, dueToday: true })).toEqual(['at 05:00Z', 'the 8th']);
    // The complements hold everything else, completed tasks and tasks without a due included.
    expect(await list(afterMidnight, { timeZone: NY, overdue: false })).toEqual(['no due', 'the 6th, done', 'the 8th']);
    expect(await list(afterMidnight, { timeZone: NY, dueToday: false })).toEqual(['at 04:00Z', 'no due', 'the 6th, done', 'the 7th']);
  });

  it('stats count date-only dues on the same calendar', async () => {
    const stats = (instant: string, timeZone?: string) => at(user, instant).tasks.stats(timeZone ? { timeZone } : undefined);
    expect(await stats(beforeMidnight, NY)).toEqual({ total: 6, pending: 5, completed: 1, overdue: 1, dueToday: 2 });
    expect(await stats(afterMidnight, NY)).toEqual({ total: 6, pending: 5, completed: 1, overdue: 3, dueToday: 2 });
    expect(await stats(beforeMidnight)).toEqual({ total: 6, pending: 5, completed: 1, overdue: 2, dueToday: 3 });
  });
});

describe('the spring-forward day in New York (23 hours: 05:00Z to 04:00Z)', () => {
  const user = 'd-dst';
  const afternoon = '2026-03-08T20:00:00Z';

  beforeAll(async () => {
    const caller = at(user, afternoon);
    await caller.tasks.create({ title: 'date 8th', dueDate: '2026-03-08' });
    await caller.tasks.create({ title: 'date 9th', dueDate: '2026-03-09' });
    await caller.tasks.create({ title: '03:30Z on the 9th', dueAt: new Date('2026-03-09T03:30:00Z') }); // 23:30 EDT on the 8th
    await caller.tasks.create({ title: '04:30Z on the 9th', dueAt: new Date('2026-03-09T04:30:00Z') }); // 00:30 EDT on the 9th
    await caller.tasks.create({ title: '04:59Z on the 8th', dueAt: new Date('2026-03-08T04:59:00Z') }); // 23:59 EST on the 7th
  });

  it('due today ends at 04:00Z, an hour earlier than it began', async () => {
    const today = await at(user, afternoon).tasks.list({ timeZone: NY, dueToday: true, sort: 'title' });
    expect(titles(today)).toEqual(['03:30Z on the 9th', 'date 8th']);
    expect(await at(user, afternoon).tasks.stats({ timeZone: NY })).toMatchObject({ dueToday: 2, overdue: 1 });
  });

  it('sorts a date-only due at the start of its day in the zone, in both orders, and pages through by cursor', async () => {
    // New York: the 8th starts at 05:00Z, the 9th at 04:00Z. UTC: at 00:00Z.
    const inNewYork = ['04:59Z on the 8th', 'date 8th', '03:30Z on the 9th', 'date 9th', '04:30Z on the 9th'];
    const inUtc = ['date 8th', '04:59Z on the 8th', 'date 9th', '03:30Z on the 9th', '04:30Z on the 9th'];
    const caller = at(user, afternoon);
    expect(titles(await caller.tasks.list({ sort: 'dueAt', timeZone: NY }))).toEqual(inNewYork);
    expect(titles(await caller.tasks.list({ sort: 'dueAt', order: 'desc', timeZone: NY }))).toEqual([...inNewYork].reverse());
    expect(titles(await caller.tasks.list({ sort: 'dueAt' }))).toEqual(inUtc);
    for (const [timeZone, expected] of [[NY, inNewYork], ['UTC', inUtc]] as const) {
      for (const ties of ['id', 'newest'] as const) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: Task[]; nextCursor: string | null } = await caller.tasks.list({ sort: 'dueAt', timeZone, ties, limit: 2, cursor });
          seen.push(...titles(page));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(expected);
      }
    }
  });

  it("dueBefore and dueAfter compare a date-only due by its day's start in the zone", async () => {
    const caller = at(user, afternoon);
    // 05:00Z on the 8th is the 8th's start in New York: at or after it, the 8th's date is in.
    const window = { dueAfter: new Date('2026-03-08T05:00:00Z'), dueBefore: new Date('2026-03-09T04:00:00Z'), sort: 'title' } as const;
    expect(titles(await caller.tasks.list({ ...window, timeZone: NY }))).toEqual(['03:30Z on the 9th', 'date 8th']);
    // In UTC the 8th starts at 00:00Z (before the window) and the 9th at 00:00Z on the 9th (inside it).
    expect(titles(await caller.tasks.list(window))).toEqual(['03:30Z on the 9th', 'date 9th']);
  });

  it('a cursor made in one zone is refused in another', async () => {
    const caller = at(user, afternoon);
    const first = await caller.tasks.list({ sort: 'dueAt', timeZone: NY, limit: 2 });
    const { code } = await failure(caller.tasks.list({ sort: 'dueAt', limit: 2, cursor: first.nextCursor }));
    expect(code).toBe('BAD_REQUEST');
  });

  it.each(['Mars/Olympus_Mons', '+02:00', '', 'Europe/Paris; drop table tasks'])('list timeZone %j is a BAD_REQUEST naming timeZone', async (timeZone) => {
    const { code, message } = await failure(at(user, afternoon).tasks.list({ timeZone }));
    expect(code).toBe('BAD_REQUEST');
    expect(message).toMatch(/^timeZone: /);
  });
});
