// An auth-server outage over HTTP: the JWKS server is stopped for longer than the key cache's age.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer } from '@tasks/testing';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { expect, it } from 'vitest';

async function makeKey(kid: string): Promise<{ kid: string; privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' } };
}

it('known keys keep answering 200 and a new key id 503 with Retry-After; the outage is logged once', async () => {
  const known = await makeKey('known');
  // Published after the auth server went down (a rotation): this server never saw it.
  const unseen = await makeKey('unseen');
  const jwks = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [known.jwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/api/auth/jwks`;
  const t = await startTestServer({ listen: false, logLevel: 'info', env: { AUTH_JWKS_URL: url, AUTH_JWKS_CACHE_MAX_AGE_SECONDS: '1' } });
  try {
    const bearer = async (key: { kid: string; privateKey: CryptoKey }) => ({
      authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).setSubject('jwks-user').setIssuedAt().setExpirationTime('5m').sign(key.privateKey)}`,
    });
    expect((await t.fetch('/api/tasks', { headers: await bearer(known) })).status).toBe(200);

    await new Promise<void>((resolve) => jwks.close(() => resolve()).closeAllConnections());
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    for (let i = 0; i < 3; i++) expect((await t.fetch('/api/tasks', { headers: await bearer(known) })).status).toBe(200);
    const refused = await t.fetch('/api/tasks', { headers: await bearer(unseen) });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { code: string }).code).toBe('SERVICE_UNAVAILABLE');

    const outageLines = t.logs.filter((line) => line.msg?.startsWith('auth server JWKS'));
    expect(outageLines.map((line) => line.msg)).toEqual(['auth server JWKS cannot be fetched: known keys keep working, new key ids get 503']);
  } finally {
    await t.close();
  }
});
