import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext } from '../context.ts';
import { createCaller } from '../router.ts';
import type { Task } from '../schemas.ts';

let database: TestDatabase;
const as = (userId: string) => createCaller(createInnerContext({ db: database.db, userId }));
const HOUR = 3_600_000;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

/** The calendar day of an instant in a zone, computed by Intl rather than by the database. */
const dayIn = (instant: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(instant);

function expectedStats(tasks: Task[], timeZone: string) {
  const now = new Date();
  const pending = tasks.filter((t) => !t.completed);
  return {
    total: tasks.length,
    pending: pending.length,
    completed: tasks.length - pending.length,
    overdue: pending.filter((t) => t.dueAt && t.dueAt < now).length,
    dueToday: pending.filter((t) => t.dueAt && dayIn(t.dueAt, timeZone) === dayIn(now, timeZone)).length,
  };
}

async function allTasks(userId: string): Promise<Task[]> {
  const all: Task[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await as(userId).tasks.list({ limit: 100, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

const zones = ['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Los_Angeles', 'Asia/Kolkata'];

describe('stats', () => {
  it('matches counts computed independently, in several time zones, through creates, updates and deletes', async () => {
    const user = as('stats');
    // Due times every 3 h from 3 days ago to 3 days ahead (17 min off the hour, away from "now"),
    // a few without a due date, every third one completed.
    const created: Task[] = [];
    const start = Math.floor(Date.now() / HOUR) * HOUR + 17 * 60_000;
    for (let i = -24; i <= 24; i++) {
      created.push(await user.tasks.create({ title: `due ${i}`, dueAt: new Date(start + i * 3 * HOUR) }));
    }
    for (let i = 0; i < 4; i++) created.push(await user.tasks.create({ title: `undated ${i}` }));
    for (const task of created.filter((_, i) => i % 3 === 0)) await user.tasks.complete({ id: task.id });

    for (const timeZone of zones) {
      expect(await user.tasks.stats({ timeZone })).toEqual(expectedStats(await allTasks('stats'), timeZone));
    }

    // Counters follow every kind of change.
    await user.tasks.complete({ id: created[0]!.id, completed: false });
    await user.tasks.update({ id: created[1]!.id, dueAt: null });
    await user.tasks.update({ id: created[2]!.id, dueAt: new Date(Date.now() - 50 * 24 * HOUR) });
    await user.tasks.update({ id: created.at(-1)!.id, dueAt: new Date(Date.now() - 5 * 24 * HOUR), completed: true });
    await user.tasks.update({ id: created[4]!.id, title: 'renamed only' });
    await user.tasks.delete({ id: created[5]!.id });
    await user.tasks.delete({ id: created[6]!.id });
    for (const timeZone of zones) {
      expect(await user.tasks.stats({ timeZone })).toEqual(expectedStats(await allTasks('stats'), timeZone));
    }
  });

  it('defaults to UTC, and a user with no tasks has all zeros', async () => {
    expect(await as('stats').tasks.stats()).toEqual(await as('stats').tasks.stats({ timeZone: 'UTC' }));
    expect(await as('nobody').tasks.stats()).toEqual({ total: 0, pending: 0, completed: 0, overdue: 0, dueToday: 0 });
  });

  it("counts only the caller's tasks", async () => {
    await as('stats-other').tasks.create({ title: 'mine', dueAt: new Date(Date.now() - HOUR) });
    expect(await as('stats-other').tasks.stats()).toMatchObject({ total: 1, overdue: 1 });
    expect(await as('stats-empty').tasks.stats()).toMatchObject({ total: 0, overdue: 0 });
  });

  it('bulk inserts and deletes in one statement keep the counters right', async () => {
    const userId = 'stats-bulk';
    await database.db.insertInto('users').values({ id: userId }).execute();
    const past = new Date(Date.now() - 10 * 24 * HOUR);
    await database.db
      .insertInto('tasks')
      .values(Array.from({ length: 30 }, (_, i) => ({ user_id: userId, title: `b${i}`, completed: i % 2 === 0, due_at: i < 20 ? past : null })))
      .execute();
    expect(await as(userId).tasks.stats()).toEqual(expectedStats(await allTasks(userId), 'UTC'));
    await database.db.deleteFrom('tasks').where('user_id', '=', userId).where('title', 'in', ['b1', 'b2', 'b3', 'b25']).execute();
    await database.db.updateTable('tasks').set({ completed: true }).where('user_id', '=', userId).execute();
    expect(await as(userId).tasks.stats()).toEqual(expectedStats(await allTasks(userId), 'UTC'));
    expect(expectedStats(await allTasks(userId), 'UTC')).toMatchObject({ total: 26, completed: 26, overdue: 0 });
  });

  it.each(['Mars/Olympus_Mons', '+02:00', 'UTC+2', '', '../etc/passwd', 'x'.repeat(80), 'Europe/Paris; drop table tasks'])(
    'rejects time zone %j with BAD_REQUEST',
    async (timeZone) => {
      try {
        await as('stats').tasks.stats({ timeZone });
      } catch (error) {
        expect(error).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code).toBe('BAD_REQUEST');
        return;
      }
      throw new Error('expected BAD_REQUEST');
    },
  );
});
