// The compatibility routes while the database is unreachable: 503 with Retry-After in the detail
// shape, never a 500 or driver text. PGlite runs in-process and cannot lose its connection, so this
// runs in the postgres project only.
import { createProxiedTestDatabase, startTestServer, type TcpProxy, type TestDatabase, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originalClient } from '@tasks/testing';

const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)('compatibility routes with the database gone (PostgreSQL)', () => {
  let proxy: TcpProxy;
  let database: TestDatabase;
  let t: TestServer;

  beforeAll(async () => {
    ({ database, proxy } = await createProxiedTestDatabase(adminUrl!, { poolMax: 2 }));
    t = await startTestServer({ database });
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  it('answers 503 {"detail": {"error": …}} with Retry-After, then works again', async () => {
    const call = originalClient(t);
    const as = { as: { user: 'outage' } };
    expect((await call('POST', '/api/outage/tasks', { ...as, body: { title: 'before' } })).status).toBe(201);

    await proxy.down();
    try {
      for (const [method, path, body] of [
        ['GET', '/api/outage/tasks', undefined],
        ['POST', '/api/outage/tasks', { title: 'during' }],
        ['PATCH', '/api/outage/tasks/1/complete', undefined],
      ] as const) {
        const response = await call(method, path, { ...as, body });
        expect(response.status, `${method} ${path}`).toBe(503);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(typeof response.json.detail.error).toBe('string');
      }
    } finally {
      await proxy.up();
    }

    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await call('GET', '/api/outage/tasks', as)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const after = await call('GET', '/api/outage/tasks', as);
    expect(after.json.map((task: any) => task.title)).toEqual(['before']);
  });
});
