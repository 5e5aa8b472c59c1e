// The bare-array list streams page by page: a HEAD reads only the first page (Fastify cancels the
// stream), and a database failure after the first page cuts the response short instead of hanging.
// Both over a real socket, since what the client receives and when is the point.
import { connect } from 'node:net';
import { seedTasks } from '@tasks/db';
import { createProxiedTestDatabase, startTestServer, type TcpProxy, type TestDatabase, type TestServer } from '@tasks/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const adminUrl = process.env.TEST_DATABASE_URL;

/** Statements that read the tasks table: one per page of the list. */
const taskReads = (t: TestServer) => t.statements.filter((s) => s.kind === 'SelectQueryNode' && s.tables.includes('tasks')).length;

/** How many task reads the server makes while answering `request`, once it has settled. */
async function readsDuring(t: TestServer, request: () => Promise<unknown>): Promise<number> {
  const before = taskReads(t);
  await request();
  // A page read that the response did not wait for would show up here.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return taskReads(t) - before;
}

describe('HEAD on the bare-array list', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedTasks(t.database.db, { users: 0, tasksPerUser: 0, heavyUser: 'long-list', heavyTasks: 1_000 });
    await seedTasks(t.database.db, { users: 0, tasksPerUser: 0, heavyUser: 'short-list', heavyTasks: 5 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (user: string, method: 'GET' | 'HEAD') => {
    const response = await t.fetchAs(user, `/api/${user}/tasks`, { method });
    return { response, body: await response.text() };
  };

  it('a GET of a long list reads it page by page', async () => {
    let tasks: unknown[] = [];
    const reads = await readsDuring(t, async () => (tasks = JSON.parse((await list('long-list', 'GET')).body)));
    expect(tasks).toHaveLength(1_000);
    const onePage = await readsDuring(t, () => list('short-list', 'GET'));
    expect(onePage).toBeGreaterThan(0);
    // 1,000 tasks at 100 a page.
    expect(reads).toBeGreaterThanOrEqual(10 * onePage);
  });

  it('a HEAD of a long list reads only its first page, as a one-page list does', async () => {
    const onePage = await readsDuring(t, () => list('short-list', 'GET'));
    let head: Awaited<ReturnType<typeof list>> | undefined;
    const reads = await readsDuring(t, async () => (head = await list('long-list', 'HEAD')));
    expect(head!.response.status).toBe(200);
    expect(head!.response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(head!.body).toBe('');
    expect(reads).toBe(onePage);
  });
});

/** One HTTP/1.1 exchange on a raw socket; `onFirstBytes` runs (paused) when the first bytes arrive. */
function rawGet(url: string, path: string, token: string, onFirstBytes: () => Promise<void>): Promise<{ raw: Buffer; closed: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () =>
      socket.write(`GET ${path} HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${token}\r\nconnection: close\r\n\r\n`),
    );
    // A response that never ends is the failure this guards against.
    const hung = setTimeout(() => {
      socket.destroy();
      resolve({ raw: Buffer.concat(chunks), closed: false });
    }, 15_000);
    socket.once('data', () => {
      socket.pause();
      onFirstBytes().then(() => socket.resume(), reject);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(hung);
      resolve({ raw: Buffer.concat(chunks), closed: true });
    });
  });
}

/** The body of a chunked response, and whether its last (zero-length) chunk arrived. */
function dechunk(body: Buffer): { text: string; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) return { text: Buffer.concat(parts).toString(), complete: false };
    const size = Number.parseInt(body.subarray(at, lineEnd).toString(), 16);
    if (size === 0) return { text: Buffer.concat(parts).toString(), complete: true };
    parts.push(body.subarray(lineEnd + 2, Math.min(body.length, lineEnd + 2 + size)));
    at = lineEnd + 2 + size + 2;
    if (at > body.length) return { text: Buffer.concat(parts).toString(), complete: false };
  }
}

// PGlite runs in-process and cannot lose its connection: PostgreSQL only.
describe.skipIf(!adminUrl)('a database failure after the first page of the bare-array list (PostgreSQL)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestServer;

  beforeAll(async () => {
    ({ database, proxy } = await createProxiedTestDatabase(adminUrl!, { poolMax: 2 }));
    // About 40 MB of tasks: far more than the socket buffers hold while the client is not reading,
    // so the server is still reading pages when the database goes away.
    await seedTasks(database.db, { users: 0, tasksPerUser: 0, heavyUser: 'big-list', heavyTasks: 8_000 });
    await sql`update tasks set description = repeat('x', 4990)`.execute(database.db);
    await seedTasks(database.db, { users: 0, tasksPerUser: 0, heavyUser: 'after', heavyTasks: 3 });
    t = await startTestServer({ database, logLevel: 'warn' });
  });
  afterAll(async () => {
    await proxy?.up().catch(() => {});
    await t?.close();
    await database?.destroy();
  });

  it('a client that goes away part-way stops the server reading pages', async () => {
    const token = await t.tokenFor('big-list');
    const { hostname, port } = new URL(t.url);
    const before = taskReads(t);
    let head = '';
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write(`GET /api/big-list/tasks HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${token}\r\n\r\n`),
      );
      socket.once('data', (chunk: Buffer) => {
        head = chunk.toString('latin1', 0, 12);
        socket.destroy();
      });
      socket.once('close', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(head).toBe('HTTP/1.1 200');
    // 8,000 tasks are 80 pages; the socket buffers hold a few of them.
    expect(taskReads(t) - before).toBeLessThan(40);
    expect(t.truncatedResponses).toContainEqual(expect.objectContaining({ url: '/api/big-list/tasks', ending: 'cancelled' }));
  });

  it('cuts the response short (not valid JSON), logs why and closes the connection', async () => {
    const token = await t.tokenFor('big-list');
    const { raw, closed } = await rawGet(t.url, '/api/big-list/tasks', token, () => proxy.down());
    expect(closed, 'the response never ended').toBe(true);

    const split = raw.indexOf('\r\n\r\n');
    const head = raw.subarray(0, split).toString();
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head).toMatch(/\r\ntransfer-encoding: chunked/i);
    const { text, complete } = dechunk(raw.subarray(split + 4));
    expect(complete).toBe(false);
    expect(text.startsWith('[{')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();

    expect(t.truncatedResponses).toContainEqual(expect.objectContaining({ method: 'GET', url: '/api/big-list/tasks', status: 200, ending: 'error' }));
    const cut = t.logs.find((line) => line.msg === 'response terminated with an error with headers already sent');
    expect(cut?.err?.message).toBeTruthy();
  });

  it('answers again once the database is back', async () => {
    await proxy.up();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await t.fetchAs('after', '/api/after/tasks')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });
});
