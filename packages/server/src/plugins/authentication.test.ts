import { connect } from 'node:net';
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ listen: false });
});
afterAll(async () => {
  await t?.close();
});

/** Sends a request byte for byte over a socket, so that repeated headers reach Node's parser as sent. */
function rawRequest(url: string, head: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(`${head}\r\nconnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('where a token may come from', () => {
  it('refuses two Authorization headers, even when both are valid', async () => {
    // What Node's HTTP parser keeps of repeated headers is the point here: a real socket.
    const listening = await startTestServer();
    const token = await listening.tokenFor('dup');
    const response = await rawRequest(
      listening.url,
      `GET /trpc/tasks.list HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\nauthorization: Bearer ${token}`,
    ).finally(() => listening.close());
    expect(response).toMatch(/^HTTP\/1\.1 401/);
    expect(response).toContain('exactly one Authorization header');
  });

  it('ignores a token in the query string or in a cookie', async () => {
    const token = await t.tokenFor('sneaky');
    const inQuery = await t.fetch(`/trpc/tasks.list?access_token=${token}&token=${token}`);
    expect(inQuery.status).toBe(401);
    const inCookie = await t.fetch('/trpc/tasks.list', { headers: { cookie: `token=${token}; access_token=${token}` } });
    expect(inCookie.status).toBe(401);
  });

  it.each(['Bearer', 'bearer', 'BEARER', 'BeArEr'])('accepts the scheme word %s', async (scheme) => {
    const response = await t.fetch('/trpc/tasks.list', { headers: { authorization: `${scheme} ${await t.tokenFor('s')}` } });
    expect(response.status).toBe(200);
  });

  it('answers 401 and never 500 for a token signed with another secret', async () => {
    const { signTestToken } = await import('@tasks/testing');
    const forged = await signTestToken({ secret: 'z'.repeat(40), sub: 'victim' });
    const response = await t.fetch('/trpc/tasks.list', { headers: { authorization: `Bearer ${forged}` } });
    expect(response.status).toBe(401);
  });
});

describe('token age', () => {
  let aged: TestServer;
  beforeAll(async () => {
    aged = await startTestServer({ listen: false, env: { AUTH_MAX_TOKEN_AGE_SECONDS: '3600', AUTH_CLOCK_TOLERANCE_SECONDS: '30' } });
  });
  afterAll(async () => {
    await aged?.close();
  });

  const listWith = async (claims: Record<string, number>) => {
    const token = await aged.tokenFor('ager', { claims });
    return (await aged.fetch('/trpc/tasks.list', { headers: { authorization: `Bearer ${token}` } })).status;
  };
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts iat within the clock tolerance in the future', async () => {
    expect(await listWith({ iat: now() + 20 })).toBe(200);
  });
  it('refuses iat beyond the tolerance in the future', async () => {
    expect(await listWith({ iat: now() + 600 })).toBe(401);
  });
  it('refuses a token older than the maximum age', async () => {
    expect(await listWith({ iat: now() - 7200, exp: now() + 3600 })).toBe(401);
  });
  it('accepts exp just past within the clock tolerance and refuses beyond it', async () => {
    expect(await listWith({ exp: now() - 10 })).toBe(200);
    expect(await listWith({ exp: now() - 120 })).toBe(401);
  });
});
