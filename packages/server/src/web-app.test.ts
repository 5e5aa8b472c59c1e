// The web app at `/` (the `webRoot` option): its files, its page for the app's own paths, its CSP,
// and none of it in the way of the API's paths, whose misses stay the API's JSON 404.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@tasks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PAGE = '<!doctype html><title>app page</title><script type="module" src="/assets/app-1a2b.js"></script>';
let root: string;
let t: TestServer;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'web-root-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), PAGE);
  writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log("app")');
  writeFileSync(join(root, 'robots.txt'), 'User-agent: *');
  t = await startTestServer({ listen: false, webRoot: root });
});
afterAll(async () => {
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('the web app at /', () => {
  it('serves its page at / with a CSP that allows its own scripts and calls, not cached', async () => {
    const response = await t.fetch('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(PAGE);
  });

  it('answers a navigation to any of the app’s own paths with the page', async () => {
    for (const path of ['/tasks', '/tasks/12?tab=edit', '/apiary']) {
      const response = await t.fetch(path, { headers: html });
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toBe(PAGE);
    }
  });

  it('serves hashed assets for a year, immutable, and other files as they are', async () => {
    const asset = await t.fetch('/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log("app")');
    const robots = await t.fetch('/robots.txt');
    expect(await robots.text()).toBe('User-agent: *');
    const head = await t.fetch('/assets/app-1a2b.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('a missing file, or a script asking for JSON, is a 404 rather than the page', async () => {
    for (const [path, headers] of [['/assets/gone-0000.js', html], ['/missing.png', html], ['/tasks', { accept: 'application/json' }]] as const) {
      const response = await t.fetch(path, { headers });
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('app page');
    }
  });

  it('never serves a file from outside its folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const response = await t.fetch(path, { headers: html });
      expect(await response.text(), path).not.toContain('"name"');
    }
  });

  it('leaves the API’s paths to the API: a miss there stays its JSON 404, /docs and /healthz answer as before', async () => {
    for (const path of ['/api/nothing-here', '/trpc', '/auth/nothing', '/docs/nothing.js', '/healthz/x', '/openapi.json/x', '/metrics']) {
      const response = await t.fetch(path, { headers: html });
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/json/);
    }
    expect((await t.fetch('/healthz')).status).toBe(200);
    expect((await t.fetch('/openapi.json')).status).toBe(200);
    const docs = await t.fetch('/docs/', { headers: html });
    expect(await docs.text()).toContain('Tasks API reference');
    expect((await t.fetchAs(null, '/api/tasks')).status).toBe(401);
  });

  it('without webRoot nothing is served at /', async () => {
    const plain = await startTestServer({ listen: false });
    try {
      expect((await plain.fetch('/', { headers: html })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
