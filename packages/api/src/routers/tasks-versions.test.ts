// Versions and expectedVersion through the procedures, on the real database of the project
// (PGlite, or PostgreSQL with TEST_DATABASE_URL).
import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext } from '../context.ts';
import { VersionConflict } from '../errors.ts';
import { createCaller } from '../router.ts';
import { failure } from './call-failure.ts';

let database: TestDatabase;
const as = (userId: string) => createCaller(createInnerContext({ db: database.db, userId }));

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

describe('task versions', () => {
  it('start at 1 and grow by one on every change, whichever procedure makes it', async () => {
    const alice = as('alice');
    const task = await alice.tasks.create({ title: 'v' });
    expect(task.version).toBe(1);
    expect((await alice.tasks.update({ id: task.id, title: 'v2' })).version).toBe(2);
    expect((await alice.tasks.complete({ id: task.id })).version).toBe(3);
    // Completing again changes updatedAt, so it is a change too.
    expect((await alice.tasks.complete({ id: task.id })).version).toBe(4);
    expect((await alice.tasks.get({ id: task.id })).version).toBe(4);
    expect((await alice.tasks.list()).items.find((i) => i.id === task.id)?.version).toBe(4);
  });

  it('expectedVersion at the current version applies; a stale one is CONFLICT carrying the current task and changes nothing', async () => {
    const alice = as('alice');
    const task = await alice.tasks.create({ title: 'original' });
    const updated = await alice.tasks.update({ id: task.id, title: 'first edit', expectedVersion: 1 });
    expect(updated).toMatchObject({ title: 'first edit', version: 2 });

    const error = await failure(alice.tasks.update({ id: task.id, title: 'lost edit', expectedVersion: 1 }));
    expect(error.code).toBe('CONFLICT');
    expect(error).toBeInstanceOf(VersionConflict);
    expect((error as VersionConflict).current).toMatchObject({ id: task.id, title: 'first edit', version: 2 });
    expect((error as VersionConflict<{ updatedAt: Date }>).current.updatedAt).toBeInstanceOf(Date);

    expect((await failure(alice.tasks.complete({ id: task.id, expectedVersion: 5 }))).code).toBe('CONFLICT');
    expect((await failure(alice.tasks.delete({ id: task.id, expectedVersion: 1 }))).code).toBe('CONFLICT');
    expect(await alice.tasks.get({ id: task.id })).toMatchObject({ title: 'first edit', completed: false, version: 2 });
    expect(await alice.tasks.delete({ id: task.id, expectedVersion: 2 })).toEqual({ id: task.id, deleted: true });
  });

  it("a missing or another user's task is NOT_FOUND with or without expectedVersion (no version leaks)", async () => {
    const task = await as('alice').tasks.create({ title: 'private' });
    expect((await failure(as('mallory').tasks.update({ id: task.id, title: 'x', expectedVersion: 1 }))).code).toBe('NOT_FOUND');
    expect((await failure(as('mallory').tasks.delete({ id: task.id, expectedVersion: 1 }))).code).toBe('NOT_FOUND');
    expect((await failure(as('alice').tasks.update({ id: 2_000_000_000, title: 'x', expectedVersion: 1 }))).code).toBe('NOT_FOUND');
  });

  it('expectedVersion alone is not a change; out-of-range versions are BAD_REQUEST', async () => {
    const task = await as('alice').tasks.create({ title: 'v' });
    expect((await failure(as('alice').tasks.update({ id: task.id, expectedVersion: 1 }))).code).toBe('BAD_REQUEST');
    for (const expectedVersion of [0, -1, 1.5, 2 ** 31]) {
      expect((await failure(as('alice').tasks.update({ id: task.id, title: 'x', expectedVersion }))).code).toBe('BAD_REQUEST');
    }
  });

  it('50 concurrent updates expecting one version: exactly one applies, 49 are CONFLICT, the version grows by one', async () => {
    const alice = as('alice');
    const task = await alice.tasks.create({ title: 'raced' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => alice.tasks.update({ id: task.id, title: `writer ${i}`, expectedVersion: task.version })),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as TRPCError] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    expect(new Set(lost.map((e) => e.code))).toEqual(new Set(['CONFLICT']));
    const final = await alice.tasks.get({ id: task.id });
    expect(final.version).toBe(task.version + 1);
    expect(final.title).toBe((won[0] as PromiseFulfilledResult<{ title: string }>).value.title);
  });
});
