// Live task events across two instances on one database (PostgreSQL: LISTEN/NOTIFY on each
// instance's own connection; PGlite: one in-process database, both instances listening on it).
import { randomBytes } from 'node:crypto';
import { createTasksClient, type TaskChange } from '@tasks/client';
import { createDb, createTask } from '@tasks/db';
import { createTestDatabase, openEventStream, signTestToken, startTestServer, type StreamEvent, type TestDatabase, type TestServer } from '@tasks/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const postgres = Boolean(process.env.TEST_DATABASE_URL);
// One secret for every instance, as behind a load balancer.
const secret = randomBytes(32).toString('hex');
const tokenFor = (userId: string) => signTestToken({ secret, sub: userId });
const clientOn = (server: TestServer, userId: string) => createTasksClient({ url: server.trpcUrl, token: () => tokenFor(userId) });

/** A second handle on the same database: its own pool on PostgreSQL; PGlite is one in-process instance. */
function secondHandle(database: TestDatabase): TestDatabase {
  if (!database.url) return { ...database, destroy: async () => {} };
  const handle = createDb({ url: database.url });
  return { ...handle, url: database.url, destroy: () => handle.db.destroy() };
}

/** A typed-client subscription (tRPC over SSE), collecting what arrives with its arrival time. */
function subscribe(server: TestServer, userId: string, lastEventId?: string) {
  const received: Array<{ id: string; change: TaskChange; at: number }> = [];
  const errors: unknown[] = [];
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  const subscription = clientOn(server, userId).tasks.onChange.subscribe(lastEventId ? { lastEventId } : undefined, {
    onStarted: () => started(),
    onData: (event) => received.push({ id: event.id, change: event.data, at: performance.now() }),
    onError: (error) => errors.push(error),
  });
  const until = async (count: number, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (received.length < count && Date.now() < deadline && errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    return received;
  };
  return { received, errors, ready, until, stop: () => subscription.unsubscribe() };
}

const idsOf = (events: StreamEvent[]) => events.filter((e) => e.event === 'change').map((e) => (JSON.parse(e.data) as { id: number }).id);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('live events across two instances', () => {
  let database: TestDatabase;
  let second: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  const env = { AUTH_SECRET: secret, EVENTS_MAX_STREAMS_PER_USER: '5' };

  beforeAll(async () => {
    database = await createTestDatabase({ poolMax: 12 });
    second = secondHandle(database);
    a = await startTestServer({ database, env });
    b = await startTestServer({ database: second, env });
    await Promise.all([a.server.live.listening(), b.server.live.listening()]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await second?.destroy();
    await database?.destroy();
  });

  it('a change through A reaches a subscriber on B (median delay over 200 changes printed)', async () => {
    const sub = subscribe(b, 'latency');
    await sub.ready;
    const writer = clientOn(a, 'latency');
    const sent = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const at = performance.now();
      const task = await writer.tasks.create.mutate({ title: `latency ${i}` });
      sent.set(task.id, at);
    }
    const received = await sub.until(200);
    sub.stop();
    expect(sub.errors).toEqual([]);
    expect(received.map((r) => r.change.id)).toEqual([...sent.keys()]);
    const delays = received.map((r) => r.at - sent.get(r.change.id)!);
    console.info(
      `[live events ${postgres ? 'postgres' : 'pglite'}] write through A → event on B, 200 changes: median ${median(delays).toFixed(1)} ms, ` +
        `p95 ${[...delays].sort((x, y) => x - y)[189]!.toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms`,
    );
  });

  it('REST: GET /api/tasks/events streams changes with sync-token ids, and Last-Event-ID resumes without a gap', async () => {
    const token = await tokenFor('rest-events');
    const auth = { authorization: `Bearer ${token}` };
    const { response, reader } = await openEventStream(`${b.url}/api/tasks/events`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const writer = clientOn(a, 'rest-events');
    const first = await writer.tasks.create.mutate({ title: 'one' });
    await reader.until((events) => idsOf(events).length === 1);
    reader.close();
    const lastId = reader.events.at(-1)!.id!;
    // Changed while nobody listened: a deletion and a new task.
    const second = await writer.tasks.create.mutate({ title: 'two' });
    await writer.tasks.delete.mutate({ id: first.id });
    const resumed = await openEventStream(`${a.url}/api/tasks/events`, { headers: { ...auth, 'last-event-id': lastId } });
    const events = await resumed.reader.until((all) => idsOf(all).length === 2);
    resumed.reader.close();
    expect(events.filter((e) => e.event === 'change').map((e) => JSON.parse(e.data))).toEqual([
      { ...second, completedAt: null, createdAt: second.createdAt.toISOString(), updatedAt: second.updatedAt.toISOString(), dueAt: null },
      { id: first.id, deleted: true, deletedAt: expect.any(String) },
    ]);
    // The browser form: the token in the query (EventSource cannot send headers).
    const viaQuery = await openEventStream(`${a.url}/api/tasks/events?access_token=${token}&lastEventId=${lastId}`);
    expect(idsOf(await viaQuery.reader.until((all) => idsOf(all).length === 2))).toEqual([second.id, first.id]);
    viaQuery.reader.close();
  });

  it.skipIf(!postgres)('(PostgreSQL) a change made once a stream is open is in it, however slow the stream was to fix its start (REST and the typed client)', async () => {
    // A's pool is busy, so whatever A asks of the database waits; the write goes through B's own pool.
    // The stream's start is fixed before it is answered: fixed after, the write would land first,
    // behind the stream's start, and never be sent. (PGlite is one connection: nothing to hold apart.)
    const busy = () => Promise.all(Array.from({ length: 12 }, () => sql`select pg_sleep(0.4)`.execute(database.db)));
    const userId = 'open-then-write';
    let held = busy();
    const { reader } = await openEventStream(`${a.url}/api/tasks/events`, { headers: { authorization: `Bearer ${await tokenFor(userId)}` } });
    const task = await createTask(second.db, userId, { title: 'right after open' });
    expect(idsOf(await reader.until((events) => idsOf(events).length >= 1, 5_000))).toEqual([task.id]);
    reader.close();
    await held;

    held = busy();
    const sub = subscribe(a, userId);
    await sub.ready;
    const next = await createTask(second.db, userId, { title: 'right after onStarted' });
    const received = await sub.until(1, 5_000);
    sub.stop();
    await held;
    expect(sub.errors).toEqual([]);
    expect(received.map((r) => r.change.id)).toEqual([next.id]);
  });

  it('refuses a stream without a token (401), with a bad or expired token (400/410), and beyond the per-user limit (429)', async () => {
    expect((await fetch(`${a.url}/api/tasks/events`)).status).toBe(401);
    const auth = { authorization: `Bearer ${await tokenFor('limits')}` };
    const bad = await fetch(`${a.url}/api/tasks/events`, { headers: { ...auth, 'last-event-id': 'nonsense' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/sync token/i);
    const old = Buffer.from(JSON.stringify({ v: 1, x: '1', s: '0', t: Date.now() - 40 * 86_400_000 })).toString('base64url');
    expect((await fetch(`${a.url}/api/tasks/events`, { headers: { ...auth, 'last-event-id': old } })).status).toBe(410);

    const open = await Promise.all(Array.from({ length: 5 }, () => openEventStream(`${a.url}/api/tasks/events`, { headers: auth })));
    expect(open.map((o) => o.response.status)).toEqual([200, 200, 200, 200, 200]);
    const over = await fetch(`${a.url}/api/tasks/events`, { headers: auth });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBeTruthy();
    expect(((await over.json()) as { message: string }).message).toMatch(/Too many open event streams for this user \(at most 5\)/);
    // The typed client's subscription is told the same, as TOO_MANY_REQUESTS.
    const sub = subscribe(a, 'limits');
    await sub.until(1, 5_000);
    expect(sub.errors).toMatchObject([{ data: { code: 'TOO_MANY_REQUESTS' } }]);
    // Other users are not limited by this one; a closed stream gives its seat back.
    const otherUser = await openEventStream(`${a.url}/api/tasks/events`, { headers: { authorization: `Bearer ${await tokenFor('limits-other')}` } });
    expect(otherUser.response.status).toBe(200);
    otherUser.reader.close();
    for (const o of open) o.reader.close();
    const deadline = Date.now() + 5_000;
    while (a.server.live.streams.open > 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const again = await openEventStream(`${a.url}/api/tasks/events`, { headers: auth });
    expect(again.response.status).toBe(200);
    again.reader.close();
  });

  it('1,000 changes by 10 concurrent writers: every subscriber sees all exactly once in commit order; another user sees none', async () => {
    const userId = 'concurrent-live';
    const token = await tokenFor(userId);
    const auth = { authorization: `Bearer ${token}` };
    const trpcOnB = subscribe(b, userId);
    const trpcOnA = subscribe(a, userId);
    await Promise.all([trpcOnB.ready, trpcOnA.ready]);
    const restOnA = await openEventStream(`${a.url}/api/tasks/events`, { headers: auth });
    const restOnB = await openEventStream(`${b.url}/api/tasks/events`, { headers: auth });
    const other = await openEventStream(`${b.url}/api/tasks/events`, { headers: { authorization: `Bearer ${await tokenFor('bystander')}` } });

    const writes: Array<{ id: number; sent: number; answered: number }> = [];
    await Promise.all(
      Array.from({ length: 10 }, async (_, w) => {
        const client = clientOn(w % 2 ? a : b, userId);
        for (let i = 0; i < 100; i++) {
          const sent = performance.now();
          const { id } = await client.tasks.create.mutate({ title: `w${w}-${i}` });
          writes.push({ id, sent, answered: performance.now() });
        }
      }),
    );
    console.info(`[live events] 1,000 writes done; received so far: ${trpcOnB.received.length}, ${trpcOnA.received.length}, ${idsOf(restOnA.reader.events).length}, ${idsOf(restOnB.reader.events).length}`);
    const sequences = [
      (await trpcOnB.until(1000, 60_000)).map((r) => r.change.id),
      (await trpcOnA.until(1000, 60_000)).map((r) => r.change.id),
      idsOf(await restOnA.reader.until((e) => idsOf(e).length >= 1000, 60_000)),
      idsOf(await restOnB.reader.until((e) => idsOf(e).length >= 1000, 60_000)),
    ];
    // Late duplicates would arrive after the thousandth: give them a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    trpcOnA.stop();
    trpcOnB.stop();
    sequences[0] = trpcOnB.received.map((r) => r.change.id);
    sequences[1] = trpcOnA.received.map((r) => r.change.id);
    sequences[2] = idsOf(restOnA.reader.events);
    sequences[3] = idsOf(restOnB.reader.events);
    for (const r of [restOnA, restOnB, other]) r.reader.close();

    const position = new Map(sequences[0]!.map((id, i) => [id, i]));
    expect(new Set(sequences[0])).toEqual(new Set(writes.map((w) => w.id)));
    for (const sequence of sequences) expect(sequence).toEqual(sequences[0]);
    expect(sequences[0]).toHaveLength(1000);
    // Commit order: a create answered before another was sent comes first.
    const byAnswer = [...writes].sort((x, y) => x.answered - y.answered);
    let latestBefore = -1;
    let next = 0;
    for (const write of [...writes].sort((x, y) => x.sent - y.sent)) {
      while (next < byAnswer.length && byAnswer[next]!.answered < write.sent) latestBefore = Math.max(latestBefore, position.get(byAnswer[next++]!.id)!);
      expect(position.get(write.id)!).toBeGreaterThan(latestBefore);
    }
    expect(idsOf(other.reader.events)).toEqual([]);
  }, 180_000);

  it.skipIf(!postgres)('(PostgreSQL) the listener connection terminated mid-stream: events resume, none lost', async () => {
    const userId = 'listener-cut';
    const sub = subscribe(b, userId);
    await sub.ready;
    const writer = clientOn(a, userId);
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) ids.push((await writer.tasks.create.mutate({ title: `before ${i}` })).id);
    const { rows } = await sql<{ terminated: boolean }>`select pg_terminate_backend(pid) as terminated from pg_stat_activity
      where application_name = 'tasks-api-listener' and datname = current_database()`.execute(database.db);
    // One listener per instance.
    expect(rows).toEqual([{ terminated: true }, { terminated: true }]);
    for (let i = 0; i < 50; i++) ids.push((await writer.tasks.create.mutate({ title: `after ${i}` })).id);
    const received = await sub.until(100);
    await new Promise((resolve) => setTimeout(resolve, 200));
    sub.stop();
    expect(sub.errors).toEqual([]);
    expect(received.map((r) => r.change.id)).toEqual(ids);
  });

  // Node's sockets take 64 KiB before a write says "wait": with a 64 KiB bound the unread bytes pass
  // it; with 1 MiB they never do, and the reader is cut after two heartbeats without progress.
  it.each([
    ['its buffer passes the bound', '65536', /too slow/],
    ['it takes nothing for two heartbeats', '1048576', /stopped reading/],
  ])('a reader that stops reading is cut off once %s, and its seat and buffer are freed', async (_case, bound, reason) => {
    const bounded = await startTestServer({ database, logLevel: 'warn', env: { AUTH_SECRET: secret, EVENTS_MAX_BUFFER_BYTES: bound, EVENTS_HEARTBEAT_MS: '1000' } });
    try {
      await bounded.server.live.listening();
      const token = await tokenFor('slow-reader');
      const response = await fetch(`${bounded.url}/api/tasks/events`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      // Read nothing from here on: the kernel's socket buffers fill, then the server's.
      const body = response.body!.getReader();
      expect(bounded.server.live.streams.open).toBe(1);
      const writer = clientOn(a, 'slow-reader');
      const description = 'x'.repeat(5_000);
      const before = process.memoryUsage().rss;
      let written = 0;
      const deadline = Date.now() + 20_000;
      while (bounded.server.live.streams.open > 0 && Date.now() < deadline) {
        await Promise.all(Array.from({ length: 20 }, (_, i) => writer.tasks.create.mutate({ title: `slow ${written + i}`, description })));
        written += 20;
      }
      expect(bounded.server.live.streams.open).toBe(0);
      const cut = bounded.logs.find((line) => /event stream reader/.test(line.msg ?? ''));
      console.info(
        `[slow reader] ${cut?.msg} with ${String(cut?.['buffered'])} bytes buffered, after ${written} events of ~5 KB; ` +
          `rss ${((process.memoryUsage().rss - before) / 1e6).toFixed(1)} MB above the start`,
      );
      expect(cut?.msg).toMatch(reason);
      expect(Number(cut?.['buffered'])).toBeLessThanOrEqual(Number(bound) + 8_192);
      // The stream ends for the reader too (after whatever the kernel had taken in).
      await expect(
        (async () => {
          for (;;) if ((await body.read()).done) return 'ended';
        })(),
      ).rejects.toThrow();
    } finally {
      await bounded.close();
    }
  });

  it('closing an instance ends its streams with a retryable error, and the typed client resumes on the other', async () => {
    const third = await startTestServer({ database, env: { AUTH_SECRET: secret } });
    await third.server.live.listening();
    const { reader } = await openEventStream(`${third.url}/api/tasks/events`, { headers: { authorization: `Bearer ${await tokenFor('shutdown')}` } });
    await reader.until(() => third.server.live.streams.open === 1, 5_000);
    const started = performance.now();
    await third.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    await reader.ended;
    expect(reader.events.at(-1)).toMatchObject({ event: 'error' });
    expect(JSON.parse(reader.events.at(-1)!.data)).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
