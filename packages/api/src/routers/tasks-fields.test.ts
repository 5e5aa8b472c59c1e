import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { TRPCError } from '@trpc/server';
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

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('priority, dueAt and tags on create and update', () => {
  it('defaults: medium priority, no due date, no tags', async () => {
    const task = await as('fields').tasks.create({ title: 'plain' });
    expect(task).toMatchObject({ priority: 'medium', dueAt: null, tags: [] });
  });

  it('tags are trimmed, case-folded and de-duplicated, in the order given', async () => {
    const task = await as('fields').tasks.create({ title: 't', tags: ['Work', ' home ', 'WORK', 'Ürgent', 'home'] });
    expect(task.tags).toEqual(['work', 'home', 'ürgent']);
    expect((await as('fields').tasks.get({ id: task.id })).tags).toEqual(['work', 'home', 'ürgent']);
  });

  it('accepts 20 distinct tags of 40 characters, and 25 tags that fold to 20', async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, '0')}${'x'.repeat(38)}`);
    expect((await as('fields').tasks.create({ title: 't', tags: twenty })).tags).toEqual(twenty);
    const folded = [...twenty, ...twenty.slice(0, 5).map((t) => t.toUpperCase())];
    expect((await as('fields').tasks.create({ title: 't', tags: folded })).tags).toHaveLength(20);
  });

  it('dueAt takes a Date, an ISO string, or a bare date meaning midnight UTC', async () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    expect((await as('fields').tasks.create({ title: 'd', dueAt: at })).dueAt).toEqual(at);
    const iso = await as('fields').tasks.create({ title: 'd', dueAt: '2026-03-04T07:06:07.089+02:00' as never });
    expect(iso.dueAt).toEqual(at);
    const bare = await as('fields').tasks.create({ title: 'd', dueAt: '2026-03-04' as never });
    expect(bare.dueAt).toEqual(new Date('2026-03-04T00:00:00.000Z'));
  });

  it('update changes priority, dueAt and tags, null clears dueAt, [] clears tags, others stay', async () => {
    const user = as('fields');
    const task = await user.tasks.create({ title: 'u', priority: 'low', dueAt: new Date('2030-01-01T00:00:00Z'), tags: ['a'] });
    const raised = await user.tasks.update({ id: task.id, priority: 'high' });
    expect(raised).toMatchObject({ priority: 'high', tags: ['a'], dueAt: new Date('2030-01-01T00:00:00Z') });
    const cleared = await user.tasks.update({ id: task.id, dueAt: null, tags: [] });
    expect(cleared).toMatchObject({ priority: 'high', tags: [], dueAt: null, title: 'u' });
    const retagged = await user.tasks.update({ id: task.id, tags: ['B', 'c'] });
    expect(retagged.tags).toEqual(['b', 'c']);
    expect(retagged.updatedAt.getTime()).toBeGreaterThan(cleared.updatedAt.getTime());
  });
});

describe('validation of the new inputs', () => {
  const user = () => as('validator');
  it.each([
    ['an empty tag', { tags: ['ok', '  '] }],
    ['a 41-character tag', { tags: ['x'.repeat(41)] }],
    ['21 distinct tags', { tags: Array.from({ length: 21 }, (_, i) => `tag${i}`) }],
    ['a tag with NUL', { tags: ['a\u0000b'] }],
    ['a non-string tag', { tags: [42] }],
    ['tags that are not a list', { tags: 'work' }],
    ['an unknown priority', { priority: 'urgent' }],
    ['a non-date dueAt', { dueAt: 'tomorrow' }],
    ['an impossible date', { dueAt: '2026-02-30' }],
    ['a month 13', { dueAt: '2026-13-01T00:00:00Z' }],
    ['a year past 9999', { dueAt: new Date(Date.UTC(10_000, 0, 1)) }],
    ['an invalid Date', { dueAt: new Date(Number.NaN) }],
  ])('create rejects %s with BAD_REQUEST', async (_name, extra) => {
    expect((await failure(user().tasks.create({ title: 'x', ...(extra as object) }))).code).toBe('BAD_REQUEST');
  });

  it('update rejects the same problems and changes nothing', async () => {
    const task = await user().tasks.create({ title: 'keep', tags: ['keep'] });
    expect((await failure(user().tasks.update({ id: task.id, tags: ['x'.repeat(41)] }))).code).toBe('BAD_REQUEST');
    expect((await failure(user().tasks.update({ id: task.id, priority: 'top' as never }))).code).toBe('BAD_REQUEST');
    expect((await failure(user().tasks.update({ id: task.id, dueAt: 'soon' as never }))).code).toBe('BAD_REQUEST');
    expect(await user().tasks.get({ id: task.id })).toEqual(task);
  });

  it('names the offending field in the message', async () => {
    const tooMany = await failure(user().tasks.create({ title: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }));
    expect(tooMany.message).toMatch(/20/);
  });

  it.each([
    ['an unknown priority', { priority: 'urgent' }],
    ['an empty priority list', { priority: [] }],
    ['an empty tag', { tag: ' ' }],
    ['a 41-character tag', { tag: 'y'.repeat(41) }],
    ['21 tags', { tag: Array.from({ length: 21 }, (_, i) => `t${i}`) }],
    ['a bad dueBefore', { dueBefore: 'next week' }],
    ['a bad dueAfter', { dueAfter: '2026-00-10' }],
    ['a non-boolean overdue', { overdue: 'yes' }],
    ['an empty search', { q: '   ' }],
    ['a 201-character search', { q: 'q'.repeat(201) }],
    ['an unknown sort', { sort: 'id' }],
    ['an unknown order', { order: 'up' }],
  ])('list rejects %s with BAD_REQUEST', async (_name, input) => {
    expect((await failure(user().tasks.list(input as never))).code).toBe('BAD_REQUEST');
  });
});

describe('cursors belong to one set of filters and one sort', () => {
  it('reusing a cursor with another sort, order, filter or search is a clear BAD_REQUEST', async () => {
    const user = as('cursor-owner');
    for (let i = 0; i < 4; i++) await user.tasks.create({ title: `report ${i}`, tags: ['work'], priority: 'high' });
    const base = { sort: 'title' as const, tag: 'work', priority: ['high' as const, 'low' as const] };
    const page = await user.tasks.list({ ...base, limit: 1 });
    const cursor = page.nextCursor;
    expect(cursor).toBeTruthy();

    // The same filters, spelled differently, are the same list: the cursor is accepted.
    const same = await user.tasks.list({ sort: 'title', order: 'asc', tag: ['WORK'], priority: ['low', 'high'], limit: 2, cursor });
    expect(same.items).toHaveLength(2);

    for (const changed of [
      { ...base, sort: 'createdAt' },
      { ...base, order: 'desc' },
      { ...base, tag: 'home' },
      { ...base, priority: 'high' },
      { ...base, status: 'pending' },
      { ...base, overdue: false },
      { ...base, q: 'report' },
      { ...base, dueBefore: new Date('2100-01-01T00:00:00Z') },
    ]) {
      const error = await failure(user.tasks.list({ ...changed, cursor } as never));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toMatch(/cursor/i);
    }
  });

  it('a cursor with a key of the wrong type for its sort is BAD_REQUEST', async () => {
    const user = as('cursor-forger');
    for (let i = 0; i < 3; i++) await user.tasks.create({ title: `t${i}` });
    const page = await user.tasks.list({ limit: 1 });
    const decoded = JSON.parse(Buffer.from(page.nextCursor!, 'base64url').toString());
    for (const k of ['yesterday', null, 1.5, { $gt: 1 }]) {
      const forged = Buffer.from(JSON.stringify({ ...decoded, k })).toString('base64url');
      expect((await failure(user.tasks.list({ limit: 1, cursor: forged }))).code).toBe('BAD_REQUEST');
    }
  });
});
