// An outside project's own test on the harness: a real server on a fresh database per file.
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

it('gives each user a typed client on a real server', async () => {
  const alice = t.clientFor('alice');
  const created = await alice.tasks.create.mutate({ title: 'from outside' });
  expect(created.createdAt).toBeInstanceOf(Date);
  expect((await alice.tasks.list.query()).items.map((task) => task.title)).toEqual(['from outside']);
  // Ownership holds through the harness too: bob sees none of alice's tasks.
  expect((await t.clientFor('bob').tasks.list.query()).items).toEqual([]);
});

it('fetches as a user over plain HTTP', async () => {
  const response = await t.fetchAs('alice', '/trpc/tasks.list');
  expect(response.status).toBe(200);
  expect((await t.fetchAs(null, '/trpc/tasks.list')).status).toBe(401);
});
