import { createTestDatabase, type TestDatabase } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedQuery } from './prepared-query.ts';
import { listTasks } from './list-tasks.ts';
import { createTask, getTask, updateTask } from './tasks-queries.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.destroy();
});

describe('prepared queries', () => {
  it('compiles the same SQL as the builder and binds each call its own values', async () => {
    const built: string[] = [];
    const titleOf = preparedQuery((db, _shape, userId: string, id: number) => {
      const q = db.selectFrom('tasks').select('title').where('user_id', '=', userId).where('id', '=', id);
      built.push(q.compile().sql);
      return q;
    });
    const a = await createTask(t.db, 'pq-a', { title: 'first' });
    const b = await createTask(t.db, 'pq-b', { title: 'second' });
    expect((await titleOf(t.db, '', 'pq-a', a.id)).rows).toEqual([{ title: 'first' }]);
    expect((await titleOf(t.db, '', 'pq-b', b.id)).rows).toEqual([{ title: 'second' }]);
    expect((await titleOf(t.db, '', 'pq-a', b.id)).rows).toEqual([]);
    expect(built).toEqual(['select "title" from "tasks" where "user_id" = $1 and "id" = $2']);
  });

  it('keeps shapes apart: a filter or a change used once does not leak into the next call', async () => {
    const done = await createTask(t.db, 'pq-shapes', { title: 'done' });
    await createTask(t.db, 'pq-shapes', { title: 'open' });
    await updateTask(t.db, 'pq-shapes', done.id, { completed: true });
    const newest = { sort: 'createdAt', order: 'desc', limit: 10 } as const;
    const pending = await listTasks(t.db, 'pq-shapes', { ...newest, completed: false });
    const all = await listTasks(t.db, 'pq-shapes', newest);
    expect(pending.map((task) => task.title)).toEqual(['open']);
    expect(all.map((task) => task.title)).toEqual(['open', 'done']);

    const renamed = await updateTask(t.db, 'pq-shapes', done.id, { title: 'renamed' });
    expect(renamed).toMatchObject({ title: 'renamed', completed: true });
    const reopened = await updateTask(t.db, 'pq-shapes', done.id, { completed: false });
    expect(reopened).toMatchObject({ title: 'renamed', completed: false, completedAt: null });

    const tagged = await createTask(t.db, 'pq-shapes', { title: 'tagged', priority: 'high', tags: ['a', 'b'] });
    const plain = await createTask(t.db, 'pq-shapes', { title: 'plain' });
    expect(tagged).toMatchObject({ priority: 'high', tags: ['a', 'b'] });
    expect(plain).toMatchObject({ priority: 'medium', tags: [], dueAt: null });
    await updateTask(t.db, 'pq-shapes', plain.id, { tags: ['c'] });
    expect(await getTask(t.db, 'pq-shapes', plain.id)).toMatchObject({ title: 'plain', priority: 'medium', tags: ['c'] });
  });
});
