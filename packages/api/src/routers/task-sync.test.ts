// The changes feed through createCaller on a real database (PGlite, and PostgreSQL when configured).
import { createDb, currentChangePosition, readTaskChanges } from '@tasks/db';
import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { TRPCError } from '@trpc/server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext } from '../context.ts';
import { errorHttp } from '../errors.ts';
import { createCaller } from '../router.ts';
import type { Task } from '../schemas.ts';
import type { TaskChange } from '../sync-schemas.ts';
import type { SyncSettings } from '../task-sync.ts';

let database: TestDatabase;
let clock = Date.now();
const sync: SyncSettings = { retentionDays: 30, now: () => clock };
const as = (userId: string) => createCaller(createInnerContext({ db: database.db, userId, sync }));
const DAY = 86_400_000;

beforeAll(async () => {
  database = await createTestDatabase({ poolMax: 12 });
});
afterAll(async () => {
  await database?.destroy();
});

/** Reads the feed from `since` to its end: every change and the token after them. */
async function readAll(userId: string, since: string | undefined, limit = 1000): Promise<{ changes: TaskChange[]; token: string; pages: number }> {
  const changes: TaskChange[] = [];
  let token = since;
  let pages = 0;
  for (;;) {
    const page = await as(userId).tasks.changes({ since: token, limit });
    changes.push(...page.changes);
    token = page.nextToken;
    pages++;
    if (!page.hasMore) return { changes, token, pages };
  }
}

/**
 * Reads from `since` until `count` changes show. A change is handed out once no transaction with a
 * smaller xid is open anywhere on the server, and other tests' transactions share this PostgreSQL.
 */
async function readSettled(
  userId: string,
  since: string,
  count: number,
  settled: (changes: TaskChange[]) => boolean = () => true,
): Promise<{ changes: TaskChange[]; token: string }> {
  // The feed holds back changes newer than the oldest transaction running anywhere in the cluster,
  // and in the postgres project other test files' databases share it: under the whole suite's load
  // one of their transactions once held t0's completion back for more than 15 s (CI, 2026-12-01).
  const deadline = Date.now() + 45_000;
  for (;;) {
    const read = await readAll(userId, since);
    if ((read.changes.length >= count && settled(read.changes)) || Date.now() > deadline) return read;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A client's copy of its tasks, kept by applying changes. */
function apply(copy: Map<number, Task>, changes: TaskChange[]): Map<number, Task> {
  for (const change of changes) {
    if ('deleted' in change) copy.delete(change.id);
    else copy.set(change.id, change);
  }
  return copy;
}

async function serverState(userId: string): Promise<Map<number, Task>> {
  const all = new Map<number, Task>();
  let cursor: string | null | undefined;
  do {
    const page = await as(userId).tasks.list({ limit: 100, cursor });
    for (const task of page.items) all.set(task.id, task);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

describe('tasks.changes', () => {
  it('starts with a full sync, then gives changed tasks in full and deleted ones as tombstones', async () => {
    const user = as('feed-basic');
    const kept = await user.tasks.create({ title: 'kept' });
    const doomed = await user.tasks.create({ title: 'doomed' });
    const full = await readAll('feed-basic', undefined);
    expect(full.changes.map((c) => c.id).sort()).toEqual([kept.id, doomed.id].sort());
    expect((await user.tasks.changes({})).reset).toBe(true);

    const renamed = await user.tasks.update({ id: kept.id, title: 'kept, renamed' });
    await user.tasks.delete({ id: doomed.id });
    const added = await user.tasks.create({ title: 'new' });
    await readSettled('feed-basic', full.token, 3);
    const next = await user.tasks.changes({ since: full.token });
    expect(next.reset).toBe(false);
    expect(next.hasMore).toBe(false);
    expect(next.changes).toEqual([renamed, { id: doomed.id, deleted: true, deletedAt: expect.any(Date) }, added]);
    // Nothing since: an empty page, and a token that still works.
    const after = await user.tasks.changes({ since: next.nextToken });
    expect(after.changes).toEqual([]);
    expect((await user.tasks.changes({ since: after.nextToken })).changes).toEqual([]);
  });

  it('pages by limit without losing or repeating a change, and shows each task once at its latest state', async () => {
    const user = as('feed-pages');
    const { token } = await readAll('feed-pages', undefined);
    const created: Task[] = [];
    for (let i = 0; i < 7; i++) created.push(await user.tasks.create({ title: `t${i}` }));
    await user.tasks.complete({ id: created[0]!.id });
    // Seven tasks may show before t0's completion is handed out (a change waits for every older
    // transaction on the server): wait for the completion itself.
    await readSettled('feed-pages', token, 7, (changes) => changes.some((c) => c.id === created[0]!.id && 'completed' in c && c.completed));
    const read = await readAll('feed-pages', token, 3);
    expect(read.pages).toBe(3);
    // t0 changed last: it comes after the others, once, completed.
    expect(read.changes.map((c) => c.id)).toEqual([...created.slice(1), created[0]!].map((t) => t.id));
    expect(read.changes.at(-1)).toMatchObject({ id: created[0]!.id, completed: true });
  });

  it('a full sync in pages converges with the server even when tasks change between pages', async () => {
    const user = as('feed-full-pages');
    for (let i = 0; i < 5; i++) await user.tasks.create({ title: `f${i}` });
    const first = await user.tasks.changes({ limit: 2 });
    expect(first).toMatchObject({ hasMore: true, reset: true });
    const ids = first.changes.map((c) => c.id);
    await user.tasks.delete({ id: ids[0]! });
    await user.tasks.create({ title: 'late' });
    const rest = await readAll('feed-full-pages', first.nextToken, 2);
    const copy = apply(apply(new Map(), first.changes), rest.changes);
    // A delete that happened during the sync arrives through the changes after it.
    const caughtUp = await readSettled('feed-full-pages', rest.token, 2);
    expect(apply(copy, caughtUp.changes)).toEqual(await serverState('feed-full-pages'));
  });

  it('never shows another user their changes', async () => {
    const { token } = await readAll('feed-mine', undefined);
    const { token: theirs } = await readAll('feed-theirs', undefined);
    await as('feed-theirs').tasks.create({ title: 'not yours' });
    expect((await readSettled('feed-theirs', theirs, 1)).changes).toHaveLength(1);
    expect((await readAll('feed-mine', token)).changes).toEqual([]);
  });

  it('a token past the retention is 410 with a message to resync; a full sync after it converges', async () => {
    const user = as('feed-expired');
    const { token } = await readAll('feed-expired', undefined);
    const a = await user.tasks.create({ title: 'a' });
    await user.tasks.create({ title: 'b' });
    await user.tasks.delete({ id: a.id });
    clock += 31 * DAY;
    try {
      const error = await user.tasks.changes({ since: token }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect(errorHttp(error as TRPCError).status).toBe(410);
      expect((error as TRPCError).message).toMatch(/resync/);
      const resync = await readAll('feed-expired', undefined);
      expect(apply(new Map(), resync.changes)).toEqual(await serverState('feed-expired'));
      // The new token works at the new time.
      expect((await user.tasks.changes({ since: resync.token })).changes).toEqual([]);
    } finally {
      clock -= 31 * DAY;
    }
  });

  it('never moves a token back, even when the bound it reads is below it', async () => {
    // A read's bound may fall below a token an earlier read gave out (a transaction of another
    // database it can no longer place counts as ours); handing out the lower place would repeat changes.
    const now = await currentChangePosition(database.db);
    const ahead = { xid: String(BigInt(now.xid) + 1_000_000n), seq: '0' };
    const read = await readTaskChanges(database.db, 'feed-ahead', ahead, 10);
    expect(read).toMatchObject({ entries: [], hasMore: false, next: ahead });
  });

  it('refuses a token it did not make, naming what to do', async () => {
    for (const since of ['nonsense', Buffer.from('{"v":2}').toString('base64url'), Buffer.from('[1]').toString('base64url')]) {
      await expect(as('feed-bad').tasks.changes({ since })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/sync token/i) });
    }
    await expect(as('feed-bad').tasks.changes({ limit: 1001 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('(PostgreSQL) a change committed late by a transaction that wrote first is not skipped', async () => {
    const userId = 'feed-late-commit';
    // The early write is a rename: a create would hold the user's counter row (migration 0002)
    // and make the late write wait for it.
    const renamed = await as(userId).tasks.create({ title: 'before' });
    const { token } = await readAll(userId, undefined);
    const other = createDb({ url: database.url!, poolMax: 1 });
    let commit!: () => void;
    const gate = new Promise<void>((resolve) => (commit = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    try {
      // The early transaction takes its xid with its write, and holds it open.
      const early = other.db.transaction().execute(async (trx) => {
        const task = await createCaller(createInnerContext({ db: trx, userId, sync })).tasks.update({ id: renamed.id, title: 'early, committed last' });
        wrote();
        await gate;
        return task;
      });
      await written;
      const late = await as(userId).tasks.create({ title: 'late, committed first' });
      // Committed, but behind an open transaction with a smaller xid: not handed out yet, and the
      // token does not move past the early one's place.
      const held = await readAll(userId, token);
      expect(held.changes).toEqual([]);
      commit();
      const first = await early;
      const after = await readSettled(userId, held.token, 2);
      expect(after.changes.map((c) => c.id)).toEqual([first.id, late.id]);
    } finally {
      commit();
      await other.db.destroy();
    }
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('(PostgreSQL) a transaction left open in another database on the server does not hold the feed back', async () => {
    const userId = 'feed-other-database';
    const { token } = await readAll(userId, undefined);
    // TEST_DATABASE_URL names the server's admin database, not this file's.
    const elsewhere = createDb({ url: process.env.TEST_DATABASE_URL!, poolMax: 1 });
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    let began!: (xid: string) => void;
    const open = new Promise<string>((resolve) => (began = resolve));
    try {
      const holding = elsewhere.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(trx);
        began(rows[0]!.xid);
        await gate;
      });
      const foreignXid = await open;
      const created = await as(userId).tasks.create({ title: 'after the other database began' });
      const read = await readSettled(userId, token, 1);
      expect(read.changes.map((c) => c.id)).toEqual([created.id]);
      // Still open: the feed moved past it without waiting for it to end.
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where backend_xid = ${foreignXid}::xid8::xid`.execute(database.db);
      expect(rows[0]!.n).toBe(1);
      finish();
      await holding;
    } finally {
      finish();
      await elsewhere.db.destroy();
    }
  });

  it('1,000 creates by 10 concurrent writers: read by tokens while they write, each exactly once, in commit order', async () => {
    const userId = 'feed-concurrent';
    const { token: start } = await readAll(userId, undefined);
    // Each writer has its own connections (PostgreSQL) so transactions really overlap.
    const writers = database.url ? Array.from({ length: 10 }, () => createDb({ url: database.url!, poolMax: 1 })) : [];
    // When each create was sent and when its answer (after commit) came back.
    const writes: Array<{ id: number; sent: number; answered: number }> = [];
    try {
      const writing = Promise.all(
        Array.from({ length: 10 }, async (_, w) => {
          const db = writers[w]?.db ?? database.db;
          const caller = createCaller(createInnerContext({ db, userId, sync }));
          for (let i = 0; i < 100; i++) {
            const sent = performance.now();
            const { id } = await caller.tasks.create({ title: `w${w}-${i}` });
            writes.push({ id, sent, answered: performance.now() });
          }
        }),
      );
      const seen: number[] = [];
      let token = start;
      let finished = false;
      void writing.then(() => (finished = true));
      // Poll the feed while writes land, then until the last of them can be handed out.
      const deadline = Date.now() + 60_000;
      while (!finished || (seen.length < 1000 && Date.now() < deadline)) {
        const read = await readAll(userId, token, 97);
        seen.push(...read.changes.map((c) => c.id));
        token = read.token;
      }
      await writing;
      expect(seen).toHaveLength(1000);
      expect(new Set(seen).size).toBe(1000);
      expect(new Set(seen)).toEqual(new Set(writes.map((w) => w.id)));
      // Commit order: a create answered before another was sent comes before it in the feed.
      const position = new Map(seen.map((id, i) => [id, i]));
      const byAnswer = [...writes].sort((x, y) => x.answered - y.answered);
      let latestBefore = -1;
      let next = 0;
      for (const write of [...writes].sort((x, y) => x.sent - y.sent)) {
        while (next < byAnswer.length && byAnswer[next]!.answered < write.sent) latestBefore = Math.max(latestBefore, position.get(byAnswer[next++]!.id)!);
        expect(position.get(write.id)!).toBeGreaterThan(latestBefore);
      }
      expect((await readAll('feed-concurrent-other', undefined)).changes).toEqual([]);
    } finally {
      await Promise.all(writers.map((w) => w.db.destroy()));
    }
  });
});
