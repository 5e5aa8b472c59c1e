// /api/tasks under pressure: the rate limit (429) and a lost database (503, PostgreSQL only: PGlite
// runs in-process and cannot lose its connection), both with Retry-After and the Error schema.
import { createProxiedTestDatabase, startTestServer, type TcpProxy, type TestDatabase, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractFetch } from '@tasks/testing';

const adminUrl = process.env.TEST_DATABASE_URL;

describe('429 on /api/tasks', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1 minute' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 with Retry-After in the error format once a user is over the limit', async () => {
    const api = createContractFetch((await (await fetch(`${t.url}/openapi.json`)).json()) as object, t.url);
    const headers = { authorization: `Bearer ${await t.tokenFor('busy')}` };
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await api('/api/tasks', { headers });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await last!.json()) as object).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/rate limit/i) });
  });
});

describe.skipIf(!adminUrl)('503 on /api/tasks when the database is gone (PostgreSQL)', () => {
  let proxy: TcpProxy;
  let database: TestDatabase;
  let t: TestServer;

  beforeAll(async () => {
    ({ database, proxy } = await createProxiedTestDatabase(adminUrl!, { poolMax: 4 }));
    t = await startTestServer({ database });
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  it('answers 503 with Retry-After and SERVICE_UNAVAILABLE, then recovers', async () => {
    const api = createContractFetch((await (await fetch(`${t.url}/openapi.json`)).json()) as object, t.url);
    const headers = { authorization: `Bearer ${await t.tokenFor('outage')}` };
    expect((await api('/api/tasks', { headers })).status).toBe(200);
    await proxy.down();
    const during = await api('/api/tasks', { headers });
    expect(during.status).toBe(503);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await during.json()) as { code: string }).code).toBe('SERVICE_UNAVAILABLE');
    await proxy.up();
    let after = 0;
    for (let i = 0; i < 50 && after !== 200; i++) {
      after = (await api('/api/tasks', { headers })).status;
      if (after !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(after).toBe(200);
  });
});
