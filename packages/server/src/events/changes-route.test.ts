// GET /api/tasks/changes and tasks.changes over HTTP: the feed holds every surface's writes (the
// original routes' too), answers 410 for a token past the retention on both surfaces, and purges.
import { purgeTaskChanges } from '@tasks/db';
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ listen: false });
});
afterAll(async () => {
  await t?.close();
});

interface Page {
  changes: Array<{ id: number; title?: string; deleted?: boolean; deletedAt?: string }>;
  nextToken: string;
  hasMore: boolean;
  reset: boolean;
}

async function changes(userId: string, since?: string): Promise<Page> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await t.fetchAs(userId, `/api/tasks/changes${since ? `?since=${since}` : ''}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as Page;
    // A change is handed out once no older transaction is open on the server (other tests' too).
    if (!since || page.changes.length || Date.now() > deadline) return page;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('GET /api/tasks/changes', () => {
  it('has the writes of every surface: REST, tRPC and the original routes, deletes as tombstones', async () => {
    const user = 'route-surfaces';
    const start = await changes(user);
    expect(start).toMatchObject({ changes: [], hasMore: false, reset: true });
    const rest = (await (await t.fetchAs(user, '/api/tasks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"via REST"}' })).json()) as { id: number };
    const trpc = await t.clientFor(user).tasks.create.mutate({ title: 'via tRPC' });
    const original = await t.fetchAs(user, `/api/${user}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"via the original routes"}' });
    expect(original.status).toBe(201);
    const originalId = ((await original.json()) as { id: number }).id;
    expect((await t.fetchAs(user, `/api/${user}/tasks/${rest.id}`, { method: 'DELETE' })).status).toBe(204);

    // Read from the start token until all four writes can be handed out (one read shows each task once).
    let seen = (await changes(user, start.nextToken)).changes;
    for (const deadline = Date.now() + 15_000; !(seen.length === 3 && seen[2]?.deleted) && Date.now() < deadline; ) seen = (await changes(user, start.nextToken)).changes;
    expect(seen).toEqual([
      expect.objectContaining({ id: trpc.id, title: 'via tRPC' }),
      expect.objectContaining({ id: originalId, title: 'via the original routes' }),
      { id: rest.id, deleted: true, deletedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) },
    ]);
  });

  it('a token past the retention is 410 on REST and on /trpc, with a message to resync', async () => {
    // A well-formed token from 40 days ago (the default retention is 30).
    const old = Buffer.from(JSON.stringify({ v: 1, x: '1', s: '0', t: Date.now() - 40 * 86_400_000 })).toString('base64url');
    const rest = await t.fetchAs('route-expired', `/api/tasks/changes?since=${old}`);
    expect(rest.status).toBe(410);
    expect(await rest.json()).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringMatching(/resync/) });
    const input = encodeURIComponent(JSON.stringify({ json: { since: old } }));
    const trpc = await t.fetchAs('route-expired', `/trpc/tasks.changes?input=${input}`);
    expect(trpc.status).toBe(410);
    expect(await trpc.json()).toMatchObject({ error: { json: { data: { httpStatus: 410 } } } });
  });

  it('refuses a bad token or limit with a 400 naming the problem', async () => {
    const bad = await t.fetchAs('route-bad', '/api/tasks/changes?since=nonsense');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/sync token/i);
    const limit = await t.fetchAs('route-bad', '/api/tasks/changes?limit=5000');
    expect(limit.status).toBe(400);
    expect(((await limit.json()) as { issues: Array<{ path: string }> }).issues[0]?.path).toBe('limit');
  });

  it('purges changes older than a date, in batches of a bounded size', async () => {
    await t.clientFor('route-purge').tasks.create.mutate({ title: 'p1' });
    await t.clientFor('route-purge').tasks.create.mutate({ title: 'p2' });
    const future = new Date(Date.now() + 60_000);
    expect(await purgeTaskChanges(t.database.db, future, 1)).toBe(1);
    expect(await purgeTaskChanges(t.database.db, future, 1_000)).toBeGreaterThanOrEqual(1);
    expect(await purgeTaskChanges(t.database.db, future, 1_000)).toBe(0);
    // The server's own purge keeps what is inside the retention.
    await t.clientFor('route-purge').tasks.create.mutate({ title: 'p3' });
    expect(await t.server.live.purge()).toBe(0);
  });
});
