// Task writes notify only while an instance has streams open (migration 0009): with none, a write
// logs its change and takes no NOTIFY lock; the first stream registers its instance, first waiting
// out writers that checked before; idle heartbeats and close() take it out again.
import { randomBytes } from 'node:crypto';
import { createDb, createTask, listenForTaskChanges } from '@tasks/db';
import { createTestDatabase, openEventStream, signTestToken, startTestServer, type StreamEvent, type TestDatabase, type TestServer } from '@tasks/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const postgres = Boolean(process.env.TEST_DATABASE_URL);
const secret = randomBytes(32).toString('hex');
const env = { AUTH_SECRET: secret };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const idsOf = (events: StreamEvent[]) => events.filter((e) => e.event === 'change').map((e) => (JSON.parse(e.data) as { id: number }).id);

/** Every notification on the feed's channel, heard on a connection of the test's own. */
async function observeNotifications(database: TestDatabase): Promise<{ payloads: string[]; close(): Promise<void> }> {
  const payloads: string[] = [];
  // null: the listener's own "(re)connected" call, not a notification.
  const listener = listenForTaskChanges(database, { onChange: (userId) => userId !== null && payloads.push(userId) });
  await listener.ready;
  return { payloads, close: () => listener.close() };
}

/** A transaction on a connection of its own that has written a task of `userId` and stays open until `commit()`. */
async function openWriter(database: TestDatabase, userId: string): Promise<{ taskId: number; commit(): Promise<void> }> {
  const handle = createDb({ url: database.url! });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let wrote!: (id: number) => void;
  let failed!: (error: unknown) => void;
  const written = new Promise<number>((resolve, reject) => ((wrote = resolve), (failed = reject)));
  const done = handle.db
    .connection()
    .execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`insert into users (id) values (${userId}) on conflict do nothing`.execute(conn);
      const { rows } = await sql<{ id: number }>`insert into tasks (user_id, title) values (${userId}, 'in flight') returning id`.execute(conn);
      wrote(rows[0]!.id);
      await released;
      await sql`commit`.execute(conn);
    })
    .catch(failed)
    .finally(() => handle.db.destroy());
  return {
    taskId: await written,
    commit: async () => {
      release();
      await done;
    },
  };
}

async function listenerRows(database: TestDatabase): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from change_listeners`.execute(database.db);
  return rows[0]!.n;
}

async function openStream(server: TestServer, userId: string) {
  const token = await signTestToken({ secret, sub: userId });
  return openEventStream(`${server.url}/api/tasks/events`, { headers: { authorization: `Bearer ${token}` } });
}

/** Waits for the server's streams to end, then runs the idle beats that take its row out (two, after one that sees the last announce). */
async function retire(server: TestServer): Promise<void> {
  for (let waited = 0; server.server.live.streams.open > 0 && waited < 5_000; waited += 10) await sleep(10);
  expect(server.server.live.streams.open).toBe(0);
  for (let beats = 0; beats < 3 && server.server.live.announced; beats++) await server.server.live.beat();
  expect(server.server.live.announced).toBe(false);
}

describe('writes notify only while a stream is open', () => {
  let database: TestDatabase;
  let server: TestServer;
  let observer: Awaited<ReturnType<typeof observeNotifications>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ database, env });
    await server.server.live.listening();
    observer = await observeNotifications(database);
  });
  afterAll(async () => {
    await observer?.close();
    await server?.close();
    await database?.destroy();
  });

  it('with no stream open anywhere, a write logs its change and notifies nobody', async () => {
    expect(server.server.live.announced).toBe(false);
    expect(await listenerRows(database)).toBe(0);
    const before = observer.payloads.length;
    const task = await createTask(database.db, 'quiet', { title: 'unheard' });
    await sleep(200);
    expect(observer.payloads.length).toBe(before);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from task_changes where task_id = ${task.id}`.execute(database.db);
    expect(rows[0]!.n).toBe(1);
  });

  it('the first stream registers the instance; writes notify while it is open; the second idle heartbeat takes it out', async () => {
    const { response, reader } = await openStream(server, 'heard');
    expect(response.status).toBe(200);
    expect(server.server.live.announced).toBe(true);
    expect(await listenerRows(database)).toBe(1);

    const task = await createTask(database.db, 'heard', { title: 'heard' });
    expect(idsOf(await reader.until((events) => idsOf(events).length === 1))).toEqual([task.id]);
    expect(observer.payloads).toContain('heard');

    // A beat while the stream is open keeps the row.
    await server.server.live.beat();
    expect(await listenerRows(database)).toBe(1);
    reader.close();
    for (let waited = 0; server.server.live.streams.open > 0 && waited < 5_000; waited += 10) await sleep(10);
    expect(server.server.live.streams.open).toBe(0);
    await server.server.live.beat();
    expect(server.server.live.announced).toBe(true);
    await server.server.live.beat();
    expect(server.server.live.announced).toBe(false);
    expect(await listenerRows(database)).toBe(0);

    const before = observer.payloads.length;
    await createTask(database.db, 'heard', { title: 'unheard again' });
    await sleep(200);
    expect(observer.payloads.length).toBe(before);
  });

  it("a row deleted by another instance's clean-up is put back by the next beat", async () => {
    const { reader } = await openStream(server, 'again');
    expect(await listenerRows(database)).toBe(1);
    // Another instance's clean-up deleted the row (it had expired while this instance's beats failed).
    await sql`delete from change_listeners`.execute(database.db);
    await server.server.live.beat();
    expect(await listenerRows(database)).toBe(1);
    const task = await createTask(database.db, 'again', { title: 'after the mend' });
    expect(idsOf(await reader.until((events) => idsOf(events).length === 1))).toEqual([task.id]);
    reader.close();
  });

  it('a stream that has announced but not yet taken its seat keeps the row through the next beat', async () => {
    await retire(server);
    const live = server.server.live;
    await live.sync.announce!();
    await live.beat();
    // One idle beat: the next idle one would take the row out...
    await live.beat();
    expect(live.announced).toBe(true);
    // ...but a stream announces here (streamStart), and takes its seat only after fixing its start.
    await live.sync.announce!();
    await live.beat();
    expect(live.announced).toBe(true);
    expect(await listenerRows(database)).toBe(1);
    await retire(server);
  });

  it('closing the server takes its row out', async () => {
    const other = await startTestServer({ database, env });
    try {
      const { reader } = await openStream(other, 'closing');
      expect(other.server.live.announced).toBe(true);
      reader.close();
    } finally {
      await other.close();
    }
    // The suite's own server still holds its row from the test before.
    await retire(server);
    expect(await listenerRows(database)).toBe(0);
  });

  it.skipIf(!postgres)('(PostgreSQL) registering waits for a writer that checked before it, so no change falls between the stream and its notifications', async () => {
    const writer = await openWriter(database, 'waited');
    let opened = false;
    const stream = openStream(server, 'waited').then((result) => ((opened = true), result));
    await sleep(300);
    // The writer found no row and will not notify: the stream must not fix its start before it ends.
    expect(opened).toBe(false);
    await writer.commit();
    const { response, reader } = await stream;
    expect(response.status).toBe(200);
    // Its change was committed before the stream's start (a client has it from its sync), and the next one comes live.
    const later = await createTask(database.db, 'waited', { title: 'after' });
    expect(idsOf(await reader.until((events) => idsOf(events).length >= 1))).toEqual([later.id]);
    expect(writer.taskId).toBeLessThan(later.id);
    reader.close();
  });

  it.skipIf(!postgres)('(PostgreSQL) a writer open past the wait does not hold the stream up: streams read the feed when it ends', async () => {
    // No row left from the tests before, so this registration has a writer to wait for.
    await retire(server);
    expect(await listenerRows(database)).toBe(0);
    const writer = await openWriter(database, 'held');
    const started = performance.now();
    const { response, reader } = await openStream(server, 'held');
    expect(response.status).toBe(200);
    // The wait before the stream's start is bounded (1 s).
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(await listenerRows(database)).toBe(1);
    // Let the stream make its first read (an empty one) before the writer commits.
    await sleep(300);
    expect(idsOf(reader.events)).toEqual([]);
    // Committed after the stream's start, without a notification: the background wait wakes the stream.
    await writer.commit();
    expect(idsOf(await reader.until((events) => idsOf(events).length === 1, 5_000))).toEqual([writer.taskId]);
    reader.close();
  });

  // PGlite is one in-process session whose transactions Kysely begins without an isolation level.
  it.skipIf(!postgres)('(PostgreSQL) a writer under repeatable read notifies even with no row (its snapshot may predate one)', async () => {
    await retire(server);
    const before = observer.payloads.length;
    await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((trx) => createTask(trx, 'repeatable', { title: 'on an old snapshot' }));
    for (let waited = 0; observer.payloads.length === before && waited < 2_000; waited += 10) await sleep(10);
    expect(observer.payloads.slice(before)).toEqual(['repeatable']);
  });

  it('a row that lapsed while the instance streamed is put back by the next beat, and the streams read what was not notified', async () => {
    const { reader } = await openStream(server, 'lapsed');
    // Let the stream make its first read (an empty one) before anything is written.
    await sleep(300);
    // As if the beats had stalled past the row's lifetime: writes stop notifying.
    await sql`update change_listeners set expires_at = now() - interval '1 second'`.execute(database.db);
    const before = observer.payloads.length;
    const task = await createTask(database.db, 'lapsed', { title: 'unannounced' });
    await sleep(200);
    expect(observer.payloads.length).toBe(before);
    expect(idsOf(reader.events)).toEqual([]);
    await server.server.live.beat();
    expect(idsOf(await reader.until((events) => idsOf(events).length === 1, 5_000))).toEqual([task.id]);
    const { rows } = await sql<{ live: boolean }>`select expires_at > now() as live from change_listeners`.execute(database.db);
    expect(rows).toEqual([{ live: true }]);
    reader.close();
  });
});
