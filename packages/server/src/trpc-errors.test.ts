// Errors raised around tRPC's handler (the rate limiter, a body over the limit, the handler timeout)
// reach the stock client in tRPC's own envelope: it reads `error.data.code` and `httpStatus`, and its
// retry rule (retry when there is no `data`, or on a 503) does not send a 429 or a 413 again.
import { createTasksClient } from '@tasks/client';
import { createInjectFetch, INJECT_ORIGIN, startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ listen: false, env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1 minute', BODY_LIMIT_BYTES: '4096' } });
});
afterAll(async () => {
  await t?.close();
});

/** A stock client through inject(), counting what it sends. */
function countingClient(userId: string) {
  const inject = createInjectFetch(t.server.app);
  const sent: string[] = [];
  const client = createTasksClient({
    url: `${INJECT_ORIGIN}/trpc`,
    token: () => t.tokenFor(userId),
    fetch: async (input, init) => {
      sent.push(String(input instanceof Request ? input.url : input));
      return inject(input, init);
    },
  });
  return { client, sent };
}

interface ClientError extends Error {
  data?: Record<string, unknown>;
  shape?: { code: number };
}

/** What the call was rejected with: a TRPCClientError (of the copy @tasks/client depends on). */
async function rejection(promise: Promise<unknown>): Promise<ClientError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).name).toBe('TRPCClientError');
  return error as ClientError;
}

describe('errors raised around tRPC, in its envelope', () => {
  it('the rate limiter: the client sees TOO_MANY_REQUESTS with its status, and sends the mutation once', async () => {
    // A mutation, as only mutations are retried by the client (and were, on a 429 without `data`).
    const { client, sent } = countingClient('limited');
    for (let i = 0; i < 3; i++) await client.tasks.create.mutate({ title: `t${i}` });
    const error = await rejection(client.tasks.create.mutate({ title: 'refused' }));
    expect(error.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429, path: 'tasks.create' });
    expect(error.message).toMatch(/^Rate limit exceeded: 3 requests per minute/);
    expect(error.shape?.code).toBe(-32029);
    expect(sent).toHaveLength(4);
  });

  it('a batch gets one error per call, each naming its procedure, and Retry-After', async () => {
    const token = await t.tokenFor('limited-batch');
    const get = (path: string) => t.fetch(path, { headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) expect((await get('/trpc/tasks.stats')).status).toBe(200);
    const response = await get(`/trpc/tasks.list,tasks.stats?batch=1&input=${encodeURIComponent('{}')}`);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await response.json()) as Array<{ error: { json: { code: number; message: string; data: { code: string; httpStatus: number; path: string } } } }>;
    expect(body.map((entry) => entry.error.json.data.path)).toEqual(['tasks.list', 'tasks.stats']);
    for (const entry of body) expect(entry.error.json.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429 });

    // A batch past TRPC_MAX_BATCH_SIZE gets one error, whatever its path's length.
    const huge = await get(`/trpc/${Array.from({ length: 400 }, () => 'tasks.stats').join(',')}?batch=1`);
    expect(huge.status).toBe(429);
    const single = (await huge.json()) as { error: { json: { data: { code: string; path?: string } } } };
    expect(single.error.json.data.code).toBe('TOO_MANY_REQUESTS');
    expect(Array.isArray(single)).toBe(false);
    // No procedure of its own: superjson writes the undefined path as null (and notes it in meta).
    expect(single.error.json.data.path).toBeNull();
  });

  it('a body over the limit: PAYLOAD_TOO_LARGE, not retried, nothing stored', async () => {
    const { client, sent } = countingClient('large');
    const error = await rejection(client.tasks.create.mutate({ title: 'x'.repeat(5000) }));
    expect(error.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, path: 'tasks.create' });
    expect(error.message).toBe('Request body is too large');
    expect(sent).toHaveLength(1);
    expect((await client.tasks.list.query()).items).toEqual([]);
  });

  it('carries no stack, driver text or cause', async () => {
    const response = await t.fetchAs('large-raw', '/trpc/tasks.create', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { title: 'y'.repeat(5000) } }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { json: Record<string, unknown> & { data: Record<string, unknown> } } };
    expect(Object.keys(body.error.json).sort()).toEqual(['code', 'data', 'message']);
    expect(body.error.json.data).not.toHaveProperty('stack');
    expect(JSON.stringify(body)).not.toMatch(/FST_ERR|at .*\.js/);
  });
});
