import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedQuery, type Bindings } from './prepared-query.ts';
import { buildListTasksQuery, listTasks, type TaskListQuery } from './list-tasks.ts';
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
    const titleOf = preparedQuery((db, _shape: {}, v: Bindings<{ userId: string; id: number }>) => {
      const q = db.selectFrom('tasks').select('title').where('user_id', '=', v.userId).where('id', '=', v.id);
      built.push(q.compile().sql);
      return q;
    });
    const a = await createTask(t.db, 'pq-a', { title: 'first' });
    const b = await createTask(t.db, 'pq-b', { title: 'second' });
    expect((await titleOf(t.db, {}, { userId: 'pq-a', id: a.id })).rows).toEqual([{ title: 'first' }]);
    expect((await titleOf(t.db, {}, { userId: 'pq-b', id: b.id })).rows).toEqual([{ title: 'second' }]);
    expect((await titleOf(t.db, {}, { id: b.id, userId: 'pq-a' })).rows).toEqual([]);
    expect(built).toEqual(['select "title" from "tasks" where "user_id" = $1 and "id" = $2']);
  });

  it('builds once per shape and set of given values, whatever order either is written in', async () => {
    const shapes: string[] = [];
    const titles = preparedQuery(
      (db, shape: { order: 'asc' | 'desc'; first: boolean | undefined }, v: Bindings<{ userId: string; title?: string | undefined }>) => {
        shapes.push(`${shape.order} ${shape.first} ${v.title ? 'title' : '-'}`);
        const q = db.selectFrom('tasks').select('title').where('user_id', '=', v.userId).orderBy('title', shape.order);
        return (v.title ? q.where('title', '=', v.title) : q).limit(shape.first ? 1 : 100);
      },
    );
    for (const title of ['x', 'y', 'z']) await createTask(t.db, 'pq-order', { title });
    const run = async (shape: { order: 'asc' | 'desc'; first?: boolean }, values: { userId: string; title?: string }) =>
      (await titles(t.db, { first: undefined, ...shape }, values)).rows.map((row) => row.title);

    expect(await run({ order: 'desc' }, { userId: 'pq-order' })).toEqual(['z', 'y', 'x']);
    expect(await run({ order: 'desc', first: undefined }, { userId: 'pq-order', title: undefined })).toEqual(['z', 'y', 'x']);
    expect(await run({ order: 'asc' }, { userId: 'pq-order' })).toEqual(['x', 'y', 'z']);
    expect(await run({ first: true, order: 'asc' }, { userId: 'pq-order' })).toEqual(['x']);
    expect(await run({ order: 'asc', first: true }, { userId: 'pq-order' })).toEqual(['x']);
    expect(await run({ order: 'asc' }, { title: 'y', userId: 'pq-order' })).toEqual(['y']);
    expect(await run({ order: 'asc' }, { userId: 'pq-order', title: 'z' })).toEqual(['z']);
    expect(shapes).toEqual(['desc undefined -', 'asc undefined -', 'asc true -', 'asc undefined title']);
  });

  it('runs the SQL the inline build compiles, with the values in the same places', async () => {
    const query = { sort: 'dueAt', order: 'asc', limit: 5, priorities: ['high'], after: { key: null, id: 3 } } as const;
    const inline = buildListTasksQuery(t.db, 'pq-inline', { ...query, priorities: [...query.priorities] }).compile();
    expect(inline.sql).toContain('priority = any(');
    // The zone places date-only dues: in the selected key, the cursor's range and the order.
    expect(inline.parameters).toEqual(['UTC', 'pq-inline', ['high'], 'UTC', null, 3, 'UTC', 5]);
    expect(await listTasks(t.db, 'pq-inline', { ...query, priorities: [...query.priorities] })).toEqual([]);
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

  it('binds a value given as null, and leaves a value not given out of the query', async () => {
    const task = await createTask(t.db, 'pq-null', { title: 'with', description: 'text', dueAt: new Date('2026-03-01T00:00:00Z') });
    expect(await updateTask(t.db, 'pq-null', task.id, { title: 'kept' })).toMatchObject({ description: 'text', dueAt: task.dueAt });
    expect(await updateTask(t.db, 'pq-null', task.id, { description: null })).toMatchObject({ title: 'kept', description: null, dueAt: task.dueAt });
    expect(await updateTask(t.db, 'pq-null', task.id, { dueAt: null, description: undefined })).toMatchObject({ title: 'kept', dueAt: null });
    expect(await createTask(t.db, 'pq-null', { title: 'bare', description: null })).toMatchObject({ description: null, priority: 'medium', tags: [] });
  });

  it('the prepared list returns what the list builder returns, for every filter, sort and cursor', async () => {
    const user = 'pq-list';
    const due = (days: number) => new Date(Date.UTC(2026, 0, 1 + days));
    const made = [];
    for (let i = 0; i < 12; i++) {
      made.push(
        await createTask(t.db, user, {
          title: `${i % 3 ? 'water' : 'milk'} task ${i}`,
          priority: (['low', 'medium', 'high'] as const)[i % 3],
          tags: i % 2 ? ['home'] : ['work', 'home'],
          dueAt: i % 4 ? due(i) : null,
        }),
      );
    }
    await updateTask(t.db, user, made[3]!.id, { completed: true });
    const cursorRow = made[6]!;
    const queries: TaskListQuery[] = [
      { sort: 'createdAt', order: 'desc', limit: 5 },
      { sort: 'createdAt', order: 'asc', limit: 5, after: { key: cursorRow.createdAt, id: cursorRow.id } },
      { sort: 'dueAt', order: 'asc', limit: 20, after: { key: null, id: 1 } },
      { sort: 'dueAt', order: 'desc', limit: 20, dueBefore: due(9), dueAfter: due(2) },
      { sort: 'title', order: 'asc', limit: 20, tags: ['work'] },
      { sort: 'priority', order: 'desc', limit: 20, priorities: ['high'] },
      { sort: 'priority', order: 'asc', limit: 20, priorities: ['low', 'medium'], tags: ['home', 'work'] },
      { sort: 'updatedAt', order: 'desc', limit: 20, priorities: ['low', 'medium', 'high'], completed: true },
      { sort: 'createdAt', order: 'desc', limit: 20, completed: false, overdue: true },
      { sort: 'createdAt', order: 'desc', limit: 20, overdue: false },
      { sort: 'rank', order: 'desc', limit: 20, search: 'milk' },
      { sort: 'rank', order: 'desc', limit: 20, search: 'water', after: { key: 0, id: 2_000_000_000 } },
    ];
    for (const query of queries) {
      const { rows: expected } = await t.db.executeQuery(buildListTasksQuery(t.db, user, query).compile());
      // Twice: the first call builds the shape, the second reuses it with the same values.
      expect(await listTasks(t.db, user, query), JSON.stringify(query)).toEqual(expected);
      expect(await listTasks(t.db, user, query), JSON.stringify(query)).toEqual(expected);
    }
    // The filtered queries do narrow the page, so an ignored filter would show as extra rows.
    const filtered = await listTasks(t.db, user, { sort: 'title', order: 'asc', limit: 20, tags: ['work'] });
    expect(filtered.length).toBe(6);
  });
});
