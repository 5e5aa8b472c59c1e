// A stuck dependency (here a JWKS endpoint that accepts the connection and never answers) must not
// hold a client: after HANDLER_TIMEOUT_MS each surface answers 503 with Retry-After in its own format,
// long before jose's own 5 s fetch timeout would.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '@tasks/testing';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TIMEOUT_MS = 300;
const stalled: ServerResponse[] = [];
const jwks = createServer((_request, response) => void stalled.push(response));
let t: TestServer;
let token: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  t = await startTestServer({ env: { AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks`, HANDLER_TIMEOUT_MS: String(TIMEOUT_MS) }, listen: false });
  const { privateKey } = await generateKeyPair('ES256');
  token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('stuck').setIssuedAt().setExpirationTime('5m').sign(privateKey);
});

afterAll(async () => {
  for (const response of stalled) response.destroy();
  await t?.close();
  await new Promise((resolve) => jwks.close(resolve));
});

async function timed(path: string): Promise<{ response: Response; ms: number }> {
  const started = Date.now();
  const response = await t.fetch(path, { headers: { authorization: `Bearer ${token}` } });
  return { response, ms: Date.now() - started };
}

describe('a request stuck on a dependency', () => {
  it('REST: 503 SERVICE_UNAVAILABLE with Retry-After, soon after the timeout', async () => {
    const { response, ms } = await timed('/api/tasks');
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('retry') });
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(3_000);
  });

  it('the original routes: 503 with Retry-After and their {detail: {error}} body', async () => {
    const { response, ms } = await timed('/api/stuck/tasks');
    expect(response.status).toBe(503);
    expect(ms).toBeLessThan(3_000);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.json()).toEqual({ detail: { error: expect.stringContaining('retry') } });
  });

  it('tRPC: 503 with Retry-After, in its envelope', async () => {
    const { response, ms } = await timed('/trpc/tasks.list');
    expect(response.status).toBe(503);
    expect(ms).toBeLessThan(3_000);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await response.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
    expect(body.error.json.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503, path: 'tasks.list' });
    expect(body.error.json.message).toContain('retry');
  });

  it('requests that do not wait on the stuck dependency are served meanwhile', async () => {
    const pending = timed('/api/tasks');
    const healthy = await t.fetch('/healthz');
    expect(healthy.status).toBe(200);
    expect((await pending).response.status).toBe(503);
  });
});
