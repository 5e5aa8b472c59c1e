import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRPCError } from '@trpc/server';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, createAuthenticator } from './auth.ts';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
const now = () => Math.floor(Date.now() / 1000);

function sign(payload: JWTPayload, key: Uint8Array | CryptoKey, header: { alg: string; kid?: string }) {
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}
const secretKey = new TextEncoder().encode(SECRET);
const valid = (extra: JWTPayload = {}): JWTPayload => ({ sub: 'u1', iat: now(), exp: now() + 600, ...extra });

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected verification to fail');
}

/** Base64url of a JSON object, for hand-built tokens. */
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('shared-secret tokens', () => {
  const auth = createAuthenticator({ secret: SECRET });

  it.each(['HS256', 'HS512'])('accepts %s and returns sub', async (alg) => {
    expect(await auth.verify(await sign(valid(), secretKey, { alg }))).toBe('u1');
  });

  it('falls back to the user_id claim when sub is absent', async () => {
    const token = await sign({ user_id: 'legacy-7', exp: now() + 60 }, secretKey, { alg: 'HS256' });
    expect(await auth.verify(token)).toBe('legacy-7');
  });

  it.each([
    ['malformed', async () => 'not.a.jwt'],
    ['garbage', async () => 'abc'],
    ['wrong secret', () => sign(valid(), new TextEncoder().encode('another-secret-that-is-long-enough!!'), { alg: 'HS256' })],
    ['expired', () => sign(valid({ exp: now() - 3600 }), secretKey, { alg: 'HS256' })],
    ['missing exp', () => sign({ sub: 'u1', iat: now() }, secretKey, { alg: 'HS256' })],
    ['no user id', () => sign({ exp: now() + 60 }, secretKey, { alg: 'HS256' })],
    ['empty sub', () => sign(valid({ sub: '' }), secretKey, { alg: 'HS256' })],
    ['numeric user_id', () => sign({ user_id: 42, exp: now() + 60 }, secretKey, { alg: 'HS256' })],
    ['HS384 (not accepted)', () => sign(valid(), secretKey, { alg: 'HS384' })],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(valid())}.`],
    ['alg none with a signature', async () => `${b64({ alg: 'none' })}.${b64(valid())}.c2ln`],
    ['tampered payload', async () => {
      const [h, , s] = (await sign(valid(), secretKey, { alg: 'HS256' })).split('.');
      return `${h}.${b64(valid({ sub: 'admin' }))}.${s}`;
    }],
  ])('rejects %s as UNAUTHORIZED', async (_name, makeToken) => {
    expect((await failure(auth.verify(await makeToken()))).code).toBe('UNAUTHORIZED');
  });

  it('names the reason for an expired token', async () => {
    const { message } = await failure(auth.verify(await sign(valid({ exp: now() - 3600 }), secretKey, { alg: 'HS256' })));
    expect(message).toMatch(/expired/i);
  });
});

describe('issuer and audience', () => {
  const auth = createAuthenticator({ secret: SECRET, issuer: 'https://auth.example.com', audience: 'tasks' });

  it('accepts a token with both', async () => {
    const token = await sign(valid({ iss: 'https://auth.example.com', aud: 'tasks' }), secretKey, { alg: 'HS256' });
    expect(await auth.verify(token)).toBe('u1');
  });

  it.each([
    ['wrong issuer', { iss: 'https://evil.example.com', aud: 'tasks' }],
    ['wrong audience', { iss: 'https://auth.example.com', aud: 'other' }],
    ['missing both', {}],
  ])('rejects %s', async (_name, claims) => {
    const token = await sign(valid(claims), secretKey, { alg: 'HS256' });
    expect((await failure(auth.verify(token))).code).toBe('UNAUTHORIZED');
  });

  it('does not require iss/aud when not configured', async () => {
    const plain = createAuthenticator({ secret: SECRET });
    expect(await plain.verify(await sign(valid({ iss: 'anything', aud: 'whatever' }), secretKey, { alg: 'HS256' }))).toBe('u1');
  });
});

describe('JWKS tokens from a local key server', () => {
  let server: Server;
  let jwksUrl: string;
  let edKey: CryptoKey;
  let esKey: CryptoKey;
  let edPublic: JWK;
  let requests = 0;

  beforeAll(async () => {
    const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const es = await generateKeyPair('ES256', { extractable: true });
    edKey = ed.privateKey;
    esKey = es.privateKey;
    edPublic = { ...(await exportJWK(ed.publicKey)), kid: 'ed-1', alg: 'EdDSA' };
    const keys = [edPublic, { ...(await exportJWK(es.publicKey)), kid: 'es-1', alg: 'ES256' }];
    server = createServer((_req, res) => {
      requests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/jwks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts EdDSA (Better Auth default) and ES256 keys by kid', async () => {
    const auth = createAuthenticator({ jwksUrl });
    expect(await auth.verify(await sign(valid(), edKey, { alg: 'EdDSA', kid: 'ed-1' }))).toBe('u1');
    expect(await auth.verify(await sign(valid({ sub: 'u2' }), esKey, { alg: 'ES256', kid: 'es-1' }))).toBe('u2');
    expect(requests).toBeGreaterThan(0);
  });

  it('pins each key to its algorithm: an ES256 token claiming the EdDSA key fails', async () => {
    const auth = createAuthenticator({ jwksUrl });
    const token = await sign(valid(), esKey, { alg: 'ES256', kid: 'ed-1' });
    expect((await failure(auth.verify(token))).code).toBe('UNAUTHORIZED');
  });

  it('rejects an HS256 token signed with the public key as secret (alg confusion)', async () => {
    const auth = createAuthenticator({ jwksUrl });
    const confused = await sign(valid(), new TextEncoder().encode(JSON.stringify(edPublic)), { alg: 'HS256', kid: 'ed-1' });
    expect((await failure(auth.verify(confused))).code).toBe('UNAUTHORIZED');
  });

  it('rejects an asymmetric token when only a shared secret is configured', async () => {
    const auth = createAuthenticator({ secret: SECRET });
    const token = await sign(valid(), edKey, { alg: 'EdDSA', kid: 'ed-1' });
    expect((await failure(auth.verify(token))).code).toBe('UNAUTHORIZED');
  });

  it('rejects an unknown kid as UNAUTHORIZED', async () => {
    const auth = createAuthenticator({ jwksUrl });
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const token = await sign(valid(), other.privateKey, { alg: 'EdDSA', kid: 'unknown' });
    expect((await failure(auth.verify(token))).code).toBe('UNAUTHORIZED');
  });

  it('accepts both kinds when both are configured', async () => {
    const auth = createAuthenticator({ jwksUrl, secret: SECRET });
    expect(await auth.verify(await sign(valid(), secretKey, { alg: 'HS512' }))).toBe('u1');
    expect(await auth.verify(await sign(valid(), edKey, { alg: 'EdDSA', kid: 'ed-1' }))).toBe('u1');
  });

  it('answers SERVICE_UNAVAILABLE, not UNAUTHORIZED, when the JWKS endpoint is down', async () => {
    const auth = createAuthenticator({ jwksUrl: 'http://127.0.0.1:9/jwks' });
    const token = await sign(valid(), edKey, { alg: 'EdDSA', kid: 'ed-1' });
    expect((await failure(auth.verify(token))).code).toBe('SERVICE_UNAVAILABLE');
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER  abc ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('%s → %s', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});
