// tasks.batch through the procedures: all or nothing, temporary ids, the failing operation named.
import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext } from '../context.ts';
import { BatchOperationFailed, errorDetails } from '../errors.ts';
import { createCaller } from '../router.ts';
import { clientErrorMessage } from '../trpc.ts';
import { failure } from './call-failure.ts';

let database: TestDatabase;
const as = (userId: string) => createCaller(createInnerContext({ db: database.db, userId }));
const titlesOf = async (userId: string) =>
  (await database.db.selectFrom('tasks').select('title').where('user_id', '=', userId).orderBy('id').execute()).map((r) => r.title);

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

describe('tasks.batch', () => {
  it('applies operations in order; later operations reach a created task by its tempId; results carry the real ids', async () => {
    const existing = await as('batcher').tasks.create({ title: 'existing' });
    const doomed = await as('batcher').tasks.create({ title: 'doomed' });
    const { results } = await as('batcher').tasks.batch({
      operations: [
        { op: 'create', tempId: 'a', task: { title: 'new one', tags: ['x'] } },
        { op: 'update', id: existing.id, changes: { priority: 'high' } },
        { op: 'complete', tempId: 'a' },
        { op: 'update', tempId: 'a', changes: { title: 'renamed' }, expectedVersion: 2 },
        { op: 'delete', id: doomed.id },
      ],
    });
    const created = results[0]!;
    expect(created).toMatchObject({ op: 'create', tempId: 'a', task: { title: 'new one', version: 1 } });
    expect(created.id).toBe(created.task!.id);
    expect(results[1]).toMatchObject({ op: 'update', id: existing.id, task: { priority: 'high', version: 2 } });
    expect(results[2]).toMatchObject({ op: 'complete', tempId: 'a', id: created.id, task: { completed: true, version: 2 } });
    expect(results[3]).toMatchObject({ op: 'update', id: created.id, task: { title: 'renamed', completed: true, version: 3 } });
    expect(results[4]).toEqual({ op: 'delete', id: doomed.id });
    expect(await titlesOf('batcher')).toEqual(['existing', 'renamed']);
  });

  it('a batch of 100 whose last operation fails leaves nothing, and names operation 99 with its own error', async () => {
    const operations = [
      ...Array.from({ length: 99 }, (_, i) => ({ op: 'create' as const, tempId: `t${i}`, task: { title: `task ${i}` } })),
      { op: 'delete' as const, id: 2_000_000_000 },
    ];
    const error = await failure(as('all-or-nothing').tasks.batch({ operations }));
    expect(error).toBeInstanceOf(BatchOperationFailed);
    expect(error.code).toBe('NOT_FOUND');
    expect(errorDetails(error).operation).toBe(99);
    expect(error.message).toBe('operations[99]: Task not found');
    expect(await titlesOf('all-or-nothing')).toEqual([]);
  });

  it('a stale expectedVersion is CONFLICT for that operation, with the current task; nothing applies', async () => {
    const task = await as('stale').tasks.create({ title: 'v1' });
    await as('stale').tasks.update({ id: task.id, title: 'v2' });
    const error = await failure(
      as('stale').tasks.batch({ operations: [{ op: 'create', task: { title: 'not kept' } }, { op: 'update', id: task.id, changes: { title: 'v3' }, expectedVersion: 1 }] }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(errorDetails(error)).toMatchObject({ operation: 1, current: { id: task.id, title: 'v2', version: 2 } });
    expect(await titlesOf('stale')).toEqual(['v2']);
  });

  it('an unknown or repeated tempId is BAD_REQUEST for its operation', async () => {
    const unknown = await failure(as('temps').tasks.batch({ operations: [{ op: 'create', task: { title: 'a' } }, { op: 'complete', tempId: 'nope' }] }));
    expect(unknown.code).toBe('BAD_REQUEST');
    expect(errorDetails(unknown).operation).toBe(1);
    const repeated = await failure(
      as('temps').tasks.batch({ operations: [{ op: 'create', tempId: 'a', task: { title: 'a' } }, { op: 'create', tempId: 'a', task: { title: 'b' } }] }),
    );
    expect(repeated.message).toBe('operations[1]: tempId "a" is already used in this batch');
    expect(await titlesOf('temps')).toEqual([]);
  });

  it("another user's task is NOT_FOUND inside a batch too", async () => {
    const task = await as('owner').tasks.create({ title: 'mine' });
    const error = await failure(as('intruder').tasks.batch({ operations: [{ op: 'delete', id: task.id }] }));
    expect(error.code).toBe('NOT_FOUND');
    expect(await titlesOf('owner')).toEqual(['mine']);
  });

  it('refuses more than 100 operations, none, an operation naming both id and tempId, and invalid fields, naming the operation', async () => {
    const many = Array.from({ length: 101 }, () => ({ op: 'create' as const, task: { title: 'x' } }));
    const tooMany = await failure(as('limits').tasks.batch({ operations: many }));
    expect(tooMany.code).toBe('BAD_REQUEST');
    expect(clientErrorMessage(tooMany).message).toBe('operations: At most 100 operations in one batch');
    expect((await failure(as('limits').tasks.batch({ operations: [] }))).code).toBe('BAD_REQUEST');
    const both = await failure(as('limits').tasks.batch({ operations: [{ op: 'delete', id: 1, tempId: 'a' }] }));
    expect(both.code).toBe('BAD_REQUEST');
    const badTitle = await failure(as('limits').tasks.batch({ operations: [{ op: 'create', task: { title: 'ok' } }, { op: 'create', task: { title: '  ' } }] }));
    expect(clientErrorMessage(badTitle).message).toBe('operations.1.task.title: Title is required');
    expect(errorDetails(badTitle).operation).toBe(1);
    expect(await titlesOf('limits')).toEqual([]);
  });
});
