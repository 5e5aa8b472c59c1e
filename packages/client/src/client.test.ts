import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '@tasks/testing';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createTasksClient, MAX_URL_LENGTH, type AppRouter, type Task } from './index.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

describe('createTasksClient over a real socket', () => {
  it('round-trips a task lifecycle with Dates that stay Dates', async () => {
    const client = createTasksClient({ url: t.trpcUrl, token: await t.tokenFor('client-user') });
    const created = await client.tasks.create.mutate({ title: 'typed', description: null });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.completedAt).toBeNull();
    expectTypeOf(created).toEqualTypeOf<Task>();
    expectTypeOf(created.createdAt).toEqualTypeOf<Date>();

    const done = await client.tasks.complete.mutate({ id: created.id });
    expect(done.completedAt).toBeInstanceOf(Date);
    const page = await client.tasks.list.query({ status: 'completed' });
    expect(page.items.map((i) => i.id)).toEqual([created.id]);
    expect(page.items[0]?.updatedAt).toBeInstanceOf(Date);
    await client.tasks.delete.mutate({ id: created.id });
  });

  it('batches queries made together, sends each mutation alone, and calls the token function per request', async () => {
    let calls = 0;
    const client = createTasksClient({
      url: t.trpcUrl,
      token: async () => {
        calls++;
        return t.tokenFor('batcher');
      },
    });
    const [a, b] = await Promise.all([client.tasks.create.mutate({ title: 'a' }), client.tasks.create.mutate({ title: 'b' })]);
    expect(a.id).not.toBe(b.id);
    expect(calls).toBe(2); // one request per mutation: each carries its own Idempotency-Key
    await Promise.all([client.tasks.get.query({ id: a.id }), client.tasks.get.query({ id: b.id }), client.tasks.list.query()]);
    expect(calls).toBe(3); // one batched HTTP request
  });

  it("splits batches at the server's limits: 50 calls, and GET URLs the server's header limit accepts", async () => {
    const token = await t.tokenFor('big-batcher');
    const requests: Array<{ method: string; urlLength: number; status: number }> = [];
    const countingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      requests.push({ method: init?.method ?? 'GET', urlLength: String(input).length, status: response.status });
      return response;
    };
    const client = createTasksClient({ url: t.trpcUrl, token, fetch: countingFetch });

    // 60 short queries: one batch of 50 (the server's TRPC_MAX_BATCH_SIZE default) and one of 10.
    const pages = await Promise.all(Array.from({ length: 60 }, () => client.tasks.list.query({ limit: 1 })));
    expect(pages).toHaveLength(60);
    expect(requests.map((r) => r.status)).toEqual([200, 200]);

    // 30 queries with the longest search (200 characters, each 6 once URL-encoded): ~36 KB of URL
    // in one batch, which Node's 16 KiB header limit would refuse (431); split at MAX_URL_LENGTH,
    // every part is answered.
    requests.length = 0;
    const q = 'é'.repeat(200);
    const searches = await Promise.all(Array.from({ length: 30 }, () => client.tasks.list.query({ q })));
    expect(searches.every((page) => Array.isArray(page.items))).toBe(true);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.every((r) => r.status === 200 && r.urlLength <= MAX_URL_LENGTH)).toBe(true);
  });

  it('surfaces server errors as TRPCClientError with the code and field issues', async () => {
    const client = createTasksClient({ url: t.trpcUrl, token: await t.tokenFor('erring') });
    const error = await client.tasks.create.mutate({ title: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const clientError = error as TRPCClientError<AppRouter>;
    expect(clientError.data?.code).toBe('BAD_REQUEST');
    expect(clientError.data?.issues).toEqual([{ path: 'title', message: 'Title is required' }]);

    const anonymous = createTasksClient({ url: t.trpcUrl });
    const denied = await anonymous.tasks.list.query().catch((e: TRPCClientError<AppRouter>) => e.data?.code);
    expect(denied).toBe('UNAUTHORIZED');
  });

  it('imports no server code at runtime', () => {
    const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'index.ts'), 'utf8');
    const runtimeImports = [...source.matchAll(/^import (?!type )[^;]*from '([^']+)'/gm)].map((m) => m[1]);
    // eventsource: the fetch-based EventSource ponyfill for subscriptions, browser-safe like the others.
    expect(runtimeImports.sort()).toEqual(['@trpc/client', 'eventsource', 'superjson']);
  });
});

describe('types', () => {
  it('rejects wrong input types at compile time', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..');
    const tsc = join(root, '..', '..', 'node_modules', '.bin', 'tsc');
    const result = spawnSync(tsc, ['--noEmit', '--pretty', 'false', '-p', join(root, 'type-fixtures', 'tsconfig.json')], {
      encoding: 'utf8',
    });
    const fixture = readFileSync(join(root, 'type-fixtures', 'wrong-input.ts'), 'utf8').split('\n');
    const wrongLines = fixture.flatMap((line, i) => (line.includes('// WRONG') ? [i + 1] : []));
    const errorLines = [...result.stdout.matchAll(/wrong-input\.ts\((\d+),\d+\): error TS\d+/g)].map((m) => Number(m[1]));
    expect(result.status).not.toBe(0);
    expect(wrongLines).toHaveLength(4);
    expect([...new Set(errorLines)].sort((a, b) => a - b)).toEqual(wrongLines);
  });
});
