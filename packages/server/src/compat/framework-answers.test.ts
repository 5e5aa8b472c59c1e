// What Fastify itself answers on the compatibility paths (wrong method, body over the limit, rate
// limit) keeps the original's `{"detail": …}` shape, and still comes after authentication.
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originalClient } from '@tasks/testing';

let t: TestServer;
let call: ReturnType<typeof originalClient>;
beforeAll(async () => {
  t = await startTestServer({ env: { BODY_LIMIT_BYTES: '2048' } });
  call = originalClient(t);
});
afterAll(async () => {
  await t?.close();
});

describe('405 Method Not Allowed, as FastAPI answered it', () => {
  it.each([
    ['DELETE', '/api/kim/tasks', 'GET, POST'],
    ['PATCH', '/api/kim/tasks/1', 'GET, PUT, DELETE'],
    ['POST', '/api/kim/tasks/1', 'GET, PUT, DELETE'],
    ['GET', '/api/kim/tasks/1/complete', 'PATCH'],
    ['PUT', '/api/kim/tasks/1/status', 'PATCH'],
  ])('%s %s → 405 with Allow: %s', async (method, path, allow) => {
    const response = await call(method, path, { as: { user: 'kim' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.json).toEqual({ detail: 'Method Not Allowed' });
  });

  it('still asks for a token first', async () => {
    expect((await call('DELETE', '/api/kim/tasks', { as: null })).status).toBe(401);
  });
});

describe('a body over the limit', () => {
  it('is 413 {"detail": {"error": …}} after authentication', async () => {
    const big = { title: 'x', description: 'y'.repeat(4000) };
    const response = await call('POST', '/api/kim/tasks', { as: { user: 'kim' }, body: big });
    expect(response.status).toBe(413);
    expect(response.json).toEqual({ detail: { error: 'Request body is too large' } });
    expect((await call('POST', '/api/kim/tasks', { as: null, body: big })).status).toBe(401);
  });
});

describe('the rate limit', () => {
  it('answers 429 in the detail shape with Retry-After', async () => {
    const limited = await startTestServer({ env: { RATE_LIMIT_MAX: '2' } });
    try {
      const limitedCall = originalClient(limited);
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 3; i++) {
        last = await limitedCall('GET', '/api/lee/tasks', { as: { user: 'lee' } });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(typeof last!.json.detail.error).toBe('string');
    } finally {
      await limited.close();
    }
  });
});
