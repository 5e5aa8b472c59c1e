import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ listen: false, env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW: '1 minute' } });
});
afterAll(async () => {
  await t?.close();
});

describe('rate limiting', () => {
  it('limits each user separately and answers 429 with Retry-After and rate-limit headers', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await t.fetchAs('busy', '/trpc/tasks.list');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last?.headers.get('x-ratelimit-limit')).toBe('5');
    expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
    const body = (await last?.json()) as { error: { json: { data: { code: string; httpStatus: number } } } };
    expect(body.error.json.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429 });

    // Another user on the same address still has their own budget.
    expect((await t.fetchAs('calm', '/trpc/tasks.list')).status).toBe(200);
  });

  it('limits unauthenticated callers by address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.fetch('/trpc/tasks.list')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });

  it('never limits the health routes', async () => {
    for (let i = 0; i < 8; i++) expect((await t.fetch('/healthz')).status).toBe(200);
  });
});
