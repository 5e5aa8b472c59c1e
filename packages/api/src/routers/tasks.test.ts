import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { TRPCError } from '@trpc/server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext } from '../context.ts';
import { createCaller } from '../router.ts';

let database: TestDatabase;
const as = (userId: string) => createCaller(createInnerContext({ db: database.db, userId }));

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

async function trpcCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('tasks procedures: success paths', () => {
  it('create trims the title, starts incomplete and returns Dates', async () => {
    const task = await as('alice').tasks.create({ title: '  Buy milk  ', description: 'two litres' });
    expect(task).toMatchObject({ userId: 'alice', title: 'Buy milk', description: 'two litres', completed: false, completedAt: null });
    expect(task.id).toBeGreaterThan(0);
    expect(task.createdAt).toBeInstanceOf(Date);
    expect(task.updatedAt.getTime()).toBe(task.createdAt.getTime());
  });

  it('create without description stores null; an empty description stays empty', async () => {
    expect((await as('alice').tasks.create({ title: 'a' })).description).toBeNull();
    expect((await as('alice').tasks.create({ title: 'b', description: '' })).description).toBe('');
  });

  it('get returns the task as created', async () => {
    const created = await as('alice').tasks.create({ title: 'read me' });
    expect(await as('alice').tasks.get({ id: created.id })).toEqual(created);
  });

  it('update changes only the given fields and never createdAt', async () => {
    const created = await as('alice').tasks.create({ title: 'draft', description: 'keep me' });
    const updated = await as('alice').tasks.update({ id: created.id, title: 'final' });
    expect(updated).toMatchObject({ title: 'final', description: 'keep me', completed: false });
    expect(updated.createdAt).toEqual(created.createdAt);
    const cleared = await as('alice').tasks.update({ id: created.id, description: null });
    expect(cleared.description).toBeNull();
    expect(cleared.title).toBe('final');
  });

  it('update with no field to change is BAD_REQUEST', async () => {
    const created = await as('alice').tasks.create({ title: 'x' });
    expect(await trpcCode(as('alice').tasks.update({ id: created.id }))).toBe('BAD_REQUEST');
  });

  it('delete removes the task; a second delete is NOT_FOUND', async () => {
    const created = await as('alice').tasks.create({ title: 'temporary' });
    expect(await as('alice').tasks.delete({ id: created.id })).toEqual({ id: created.id, deleted: true });
    expect(await trpcCode(as('alice').tasks.get({ id: created.id }))).toBe('NOT_FOUND');
    expect(await trpcCode(as('alice').tasks.delete({ id: created.id }))).toBe('NOT_FOUND');
  });

  it("a user's first write creates their user row", async () => {
    const before = await database.db.selectFrom('users').select('id').where('id', '=', 'newcomer').execute();
    expect(before).toHaveLength(0);
    await as('newcomer').tasks.create({ title: 'first' });
    await as('newcomer').tasks.create({ title: 'second' });
    const after = await database.db.selectFrom('users').select('id').where('id', '=', 'newcomer').execute();
    expect(after).toEqual([{ id: 'newcomer' }]);
  });

  it('a user with no tasks lists an empty page without needing a user row', async () => {
    expect(await as('nobody-yet').tasks.list()).toEqual({ items: [], nextCursor: null });
  });
});

describe('complete: sets, never toggles', () => {
  it('completing sets completedAt; repeating keeps it; reopening clears it', async () => {
    const created = await as('carol').tasks.create({ title: 'finish report' });
    const done = await as('carol').tasks.complete({ id: created.id });
    expect(done.completed).toBe(true);
    expect(done.completedAt).toBeInstanceOf(Date);

    const again = await as('carol').tasks.complete({ id: created.id, completed: true });
    expect(again.completed).toBe(true);
    expect(again.completedAt).toEqual(done.completedAt);
    expect(again.updatedAt.getTime()).toBeGreaterThan(done.updatedAt.getTime());

    const reopened = await as('carol').tasks.complete({ id: created.id, completed: false });
    expect(reopened).toMatchObject({ completed: false, completedAt: null });
    const stillOpen = await as('carol').tasks.complete({ id: created.id, completed: false });
    expect(stillOpen.completed).toBe(false);
  });

  it('update with completed behaves like complete', async () => {
    const created = await as('carol').tasks.create({ title: 'via update' });
    const done = await as('carol').tasks.update({ id: created.id, completed: true });
    expect(done.completedAt).toBeInstanceOf(Date);
    expect((await as('carol').tasks.update({ id: created.id, completed: false })).completedAt).toBeNull();
  });
});

describe('timestamps', () => {
  it('updatedAt strictly increases over back-to-back changes, createdAt never changes', async () => {
    const created = await as('dave').tasks.create({ title: 't0' });
    let previous = created.updatedAt.getTime();
    for (let i = 0; i < 25; i++) {
      const changed =
        i % 2 === 0
          ? await as('dave').tasks.update({ id: created.id, title: `t${i + 1}` })
          : await as('dave').tasks.complete({ id: created.id, completed: i % 4 === 1 });
      expect(changed.updatedAt.getTime()).toBeGreaterThan(previous);
      expect(changed.createdAt).toEqual(created.createdAt);
      previous = changed.updatedAt.getTime();
    }
  });

  it('stores timestamps at millisecond precision', async () => {
    const created = await as('dave').tasks.create({ title: 'precision' });
    const { rows } = await sql<{ micros: string }>`
      select extract(microseconds from created_at)::bigint % 1000 as micros from tasks where id = ${created.id}`.execute(
      database.db,
    );
    expect(Number(rows[0]?.micros)).toBe(0);
  });
});

describe('validation', () => {
  const caller = () => as('val');
  it.each([
    ['empty title', { title: '' }],
    ['whitespace title', { title: '   \t ' }],
    ['256-character title', { title: 'x'.repeat(256) }],
    ['5001-character description', { title: 'ok', description: 'd'.repeat(5001) }],
    ['NUL in title', { title: 'a\u0000b' }],
    ['lone surrogate in description', { title: 'ok', description: 'x\ud800y' }],
    ['unknown field', { title: 'ok', userId: 'mallory' }],
  ])('create rejects %s with BAD_REQUEST', async (_name, input) => {
    expect(await trpcCode(caller().tasks.create(input as never))).toBe('BAD_REQUEST');
  });

  it('accepts a 255-character title and a 5000-character description', async () => {
    const task = await caller().tasks.create({ title: 'y'.repeat(255), description: 'd'.repeat(5000) });
    expect(task.title).toHaveLength(255);
  });

  it.each([0, -1, 1.5, 2_147_483_648, Number.NaN])('rejects id %s with BAD_REQUEST', async (id) => {
    expect(await trpcCode(caller().tasks.get({ id }))).toBe('BAD_REQUEST');
    expect(await trpcCode(caller().tasks.complete({ id }))).toBe('BAD_REQUEST');
  });

  it('rejects a string id', async () => {
    expect(await trpcCode(caller().tasks.get({ id: '1' as never }))).toBe('BAD_REQUEST');
  });

  it.each([0, 101, 2.5, -5])('rejects limit %s', async (limit) => {
    expect(await trpcCode(caller().tasks.list({ limit }))).toBe('BAD_REQUEST');
  });

  it.each(['not-a-cursor', 'WzEsMiwzXQ', Buffer.from('["x",1]').toString('base64url'), Buffer.from('[1,0]').toString('base64url')])(
    'rejects cursor %s',
    async (cursor) => {
      expect(await trpcCode(caller().tasks.list({ cursor }))).toBe('BAD_REQUEST');
    },
  );

  it('rejects an unknown status filter', async () => {
    expect(await trpcCode(caller().tasks.list({ status: 'done' as never }))).toBe('BAD_REQUEST');
  });
});

describe('isolation between users', () => {
  it("another user's task answers NOT_FOUND everywhere and stays unchanged", async () => {
    const task = await as('owner').tasks.create({ title: 'private', description: 'secret' });
    const intruder = as('intruder');
    expect(await trpcCode(intruder.tasks.get({ id: task.id }))).toBe('NOT_FOUND');
    expect(await trpcCode(intruder.tasks.update({ id: task.id, title: 'pwned' }))).toBe('NOT_FOUND');
    expect(await trpcCode(intruder.tasks.complete({ id: task.id }))).toBe('NOT_FOUND');
    expect(await trpcCode(intruder.tasks.delete({ id: task.id }))).toBe('NOT_FOUND');
    expect((await intruder.tasks.list()).items).toEqual([]);
    expect(await as('owner').tasks.get({ id: task.id })).toEqual(task);
  });

  it('NOT_FOUND for a foreign task is indistinguishable from a missing one', async () => {
    const task = await as('owner2').tasks.create({ title: 'mine' });
    const foreign = await as('x').tasks.get({ id: task.id }).catch((e: TRPCError) => e.message);
    const missing = await as('x').tasks.get({ id: 2_000_000_000 }).catch((e: TRPCError) => e.message);
    expect(foreign).toBe(missing);
  });
});

describe('list: filters and keyset pagination', () => {
  it('filters by status', async () => {
    const user = as('filter');
    const open = await user.tasks.create({ title: 'open' });
    const done = await user.tasks.create({ title: 'done' });
    await user.tasks.complete({ id: done.id });
    expect((await user.tasks.list({ status: 'pending' })).items.map((t) => t.id)).toEqual([open.id]);
    expect((await user.tasks.list({ status: 'completed' })).items.map((t) => t.id)).toEqual([done.id]);
    expect((await user.tasks.list({ status: 'all' })).items.map((t) => t.id)).toEqual([done.id, open.id]);
  });

  it('pages newest first without duplicates or gaps while tasks are added', async () => {
    const user = as('pager');
    const initial: number[] = [];
    for (let i = 0; i < 23; i++) initial.push((await user.tasks.create({ title: `task ${i}` })).id);

    const seen: number[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await user.tasks.list({ limit: 5, cursor });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
      // Tasks created mid-walk are newer than the cursor, so they must not appear in later pages.
      await user.tasks.create({ title: `added during page ${pages++}` });
    } while (cursor);

    expect(seen).toEqual([...initial].reverse());
    expect(pages).toBe(5);
  });

  it('pages correctly through many tasks created in the same millisecond', async () => {
    const userId = 'same-ms';
    const at = new Date('2026-01-01T00:00:00.123Z');
    await database.db.insertInto('users').values({ id: userId }).execute();
    const rows = await database.db
      .insertInto('tasks')
      .values(Array.from({ length: 57 }, (_, i) => ({ user_id: userId, title: `tie ${i}`, created_at: at, updated_at: at })))
      .returning('id')
      .execute();
    const expected = rows.map((r) => r.id).sort((a, b) => b - a);

    const seen: number[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await as(userId).tasks.list({ limit: 10, cursor });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('a cursor from one user reveals nothing of another user', async () => {
    for (let i = 0; i < 3; i++) await as('curs-a').tasks.create({ title: `a${i}` });
    const page = await as('curs-a').tasks.list({ limit: 1 });
    expect(page.nextCursor).toBeTruthy();
    const other = await as('curs-b').tasks.list({ limit: 100, cursor: page.nextCursor });
    expect(other.items).toEqual([]);
  });
});

describe('unauthenticated calls', () => {
  it('a context without a user or token is UNAUTHORIZED', async () => {
    const anonymous = createCaller(createInnerContext({ db: database.db }));
    expect(await trpcCode(anonymous.tasks.list())).toBe('UNAUTHORIZED');
  });
});
