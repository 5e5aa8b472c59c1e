import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSecurityHeaders } from './security-headers.ts';

const app = Fastify();
beforeAll(async () => {
  registerSecurityHeaders(app);
  app.get('/plain', async () => ({ ok: true }));
  app.get('/page', { config: { helmet: { contentSecurityPolicy: { directives: { scriptSrc: ["'self'", 'https://cdn.example'] } } } } as never }, async () => 'page');
  app.get('/bare', { config: { helmet: false } as never }, async () => 'bare');
  await app.ready();
});
afterAll(() => app.close());

describe('security headers', () => {
  it("sets helmet's defaults on every response", async () => {
    const first = await app.inject('/plain');
    const second = await app.inject('/plain');
    for (const response of [first, second]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).toContain("script-src 'self';");
    }
  });

  it("applies a route's own options over the global ones, and none when the route turns them off", async () => {
    const page = await app.inject('/page');
    expect(page.headers['content-security-policy']).toContain("script-src 'self' https://cdn.example");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject('/plain')).headers['content-security-policy']).not.toContain('cdn.example');
    const bare = await app.inject('/bare');
    expect(bare.headers['content-security-policy']).toBeUndefined();
    expect(bare.headers['x-content-type-options']).toBeUndefined();
  });
});
