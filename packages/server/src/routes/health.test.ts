import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ env: { RATE_LIMIT_MAX: '2' } });
});
afterAll(async () => {
  await t?.close();
});

describe('GET /health', () => {
  it('answers the original system’s probe: 200 {"status": "healthy"}', async () => {
    const response = await fetch(`${t.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: 'healthy' });
  });

  it('is not rate-limited, like /healthz and /readyz', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${t.url}/health`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited: number[] = [];
    for (let i = 0; i < 3; i++) limited.push((await fetch(`${t.url}/api/tasks`)).status);
    expect(limited.at(-1)).toBe(429);
  });
});
