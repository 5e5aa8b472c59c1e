// Key rotation and outages of a real local JWKS server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRPCError } from '@trpc/server';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator, type KeysOutageEvent } from './auth.ts';
import { ServiceUnavailable } from './errors.ts';

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function makeKey(kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' } };
}

const sign = (key: KeyPair, sub = 'rotating-user') =>
  new SignJWT({ sub })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key.privateKey);

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

let server: Server;
let url: string;
let published: JWK[] = [];
let mode: 'ok' | 'garbage' | 'error' | 'not-a-set' = 'ok';
let fetches = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    fetches++;
    if (mode === 'error') return void res.writeHead(500).end('upstream broke');
    res.setHeader('content-type', 'application/json');
    if (mode === 'garbage') return void res.end('<html>definitely not json');
    if (mode === 'not-a-set') return void res.end(JSON.stringify({ hello: 'world' }));
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/jwks`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  mode = 'ok';
  fetches = 0;
});

describe('JWKS key rotation', () => {
  it('picks up a new key by refetching on an unknown kid, and drops a removed key', async () => {
    const first = await makeKey('k1');
    const second = await makeKey('k2');
    published = [first.jwk];
    const auth = createAuthenticator({ jwksUrl: url, jwksCooldownMs: 50, cacheSize: 0 });
    expect(await auth.verify(await sign(first))).toBe('rotating-user');
    expect(fetches).toBe(1);

    published = [first.jwk, second.jwk]; // rotation: the new key is published beside the old one
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await auth.verify(await sign(second))).toBe('rotating-user');
    expect(fetches).toBe(2);

    published = [second.jwk]; // the old key is retired; cached sets expire on the next refetch
    await new Promise((resolve) => setTimeout(resolve, 60));
    const third = await makeKey('k3');
    expect(await code(auth.verify(await sign(third)))).toBe('UNAUTHORIZED'); // refetch, still unknown
    expect(await code(auth.verify(await sign(first)))).toBe('UNAUTHORIZED');
  });

  it('refetches at most once per cooldown for a burst of unknown kids', async () => {
    const known = await makeKey('known');
    published = [known.jwk];
    const auth = createAuthenticator({ jwksUrl: url, jwksCooldownMs: 60_000, cacheSize: 0 });
    await auth.verify(await sign(known));
    const before = fetches;
    const forged = await Promise.all(Array.from({ length: 20 }, (_, i) => makeKey(`forged-${i}`)));
    const codes = await Promise.all(forged.map(async (k) => code(auth.verify(await sign(k)))));
    expect(new Set(codes)).toEqual(new Set(['UNAUTHORIZED']));
    expect(fetches - before).toBeLessThanOrEqual(1);
  });
});

describe('JWKS outages answer SERVICE_UNAVAILABLE, never UNAUTHORIZED or INTERNAL', () => {
  it.each(['garbage', 'error', 'not-a-set'] as const)('when the endpoint returns %s', async (failure) => {
    const key = await makeKey('k');
    published = [key.jwk];
    mode = failure;
    const auth = createAuthenticator({ jwksUrl: url, cacheSize: 0 });
    expect(await code(auth.verify(await sign(key)))).toBe('SERVICE_UNAVAILABLE');
    mode = 'ok';
    expect(await auth.verify(await sign(key))).toBe('rotating-user');
  });

  it('when nothing listens at the address', async () => {
    const key = await makeKey('k');
    const auth = createAuthenticator({ jwksUrl: 'http://127.0.0.1:1/jwks', cacheSize: 0 });
    expect(await code(auth.verify(await sign(key)))).toBe('SERVICE_UNAVAILABLE');
  });
});

describe('verified-token cache', () => {
  it('verifies a repeated token once, and not past its exp', async () => {
    const key = await makeKey('cache');
    published = [key.jwk];
    const auth = createAuthenticator({ jwksUrl: url, jwksCooldownMs: 0 });
    const token = await sign(key);
    for (let i = 0; i < 5; i++) expect(await auth.verify(token)).toBe('rotating-user');
    expect(fetches).toBe(1);

    const shortLived = await new SignJWT({ sub: 'brief' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'cache' })
      // Two seconds ahead: `+ 1` could be a millisecond away when the clock is at x.999 s.
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(key.privateKey);
    const strict = createAuthenticator({ jwksUrl: url, clockToleranceSeconds: 0 });
    expect(await strict.verify(shortLived)).toBe('brief');
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    expect(await code(strict.verify(shortLived))).toBe('UNAUTHORIZED');
  });
});

describe('auth-server outage: the last good JWKS keeps verifying (stale-if-error)', () => {
  /** A JWKS server of its own, stopped and restarted on the same port like a real auth server. */
  async function jwksServer(keys: () => JWK[]) {
    const serve = () => createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: keys() })));
    let current = serve();
    await new Promise<void>((resolve) => current.listen(0, '127.0.0.1', resolve));
    const { port } = current.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/jwks`,
      stop: () => new Promise<void>((resolve) => current.close(() => resolve()).closeAllConnections()),
      async start() {
        current = serve();
        await new Promise<void>((resolve) => current.listen(port, '127.0.0.1', resolve));
      },
    };
  }
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('stopped past the cache age: known keys still verify, a new key id is SERVICE_UNAVAILABLE; one event per edge', async () => {
    const known = await makeKey('known-before');
    const added = await makeKey('added-during');
    let keys = [known.jwk];
    const jwks = await jwksServer(() => keys);
    const events: KeysOutageEvent[] = [];
    const auth = createAuthenticator({ jwksUrl: jwks.url, jwksCacheMaxAgeMs: 100, jwksCooldownMs: 50, cacheSize: 0, onKeysOutage: (e) => events.push(e) });
    expect(await auth.verify(await sign(known))).toBe('rotating-user');

    await jwks.stop();
    keys = [known.jwk, added.jwk];
    await pause(250); // well past the cache age: jose alone would now fail every token
    for (let i = 0; i < 5; i++) {
      expect(await auth.verify(await sign(known))).toBe('rotating-user');
      await pause(30); // across several cooldowns, so refetches are tried (and fail) more than once
    }
    const refused = await auth.verify(await sign(added)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ServiceUnavailable);
    expect((refused as ServiceUnavailable).retryAfterSeconds).toBeGreaterThan(0);
    expect(events.map((e) => e.state)).toEqual(['started']);
    expect(events[0]).toMatchObject({ state: 'started', staleKeys: true });

    await jwks.start();
    await pause(60);
    expect(await auth.verify(await sign(added))).toBe('rotating-user');
    expect(await auth.verify(await sign(known))).toBe('rotating-user');
    expect(events.map((e) => e.state)).toEqual(['started', 'ended']);
    expect((events[1] as { failedFetches: number }).failedFetches).toBeGreaterThanOrEqual(2);
    await jwks.stop();
  });

  it('keeps stale keys no longer than jwksMaxStaleSeconds', async () => {
    const known = await makeKey('bounded');
    const jwks = await jwksServer(() => [known.jwk]);
    const auth = createAuthenticator({ jwksUrl: jwks.url, jwksCacheMaxAgeMs: 100, jwksMaxStaleSeconds: 0, cacheSize: 0 });
    expect(await auth.verify(await sign(known))).toBe('rotating-user');
    await jwks.stop();
    await pause(150);
    expect(await code(auth.verify(await sign(known)))).toBe('SERVICE_UNAVAILABLE');
  });
});
