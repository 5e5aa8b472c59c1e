import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@tasks/testing';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const outputDir = join(import.meta.dirname, '../../../../test-results');

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

describe('/docs over HTTP', () => {
  it('serves the reference page and its script from this server, with no CDN', async () => {
    const page = await fetch(`${t.url}/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Tasks API reference</title>');
    const sources = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).not.toMatch(/^(https?:)?\/\//);
    const script = await fetch(new URL(sources[0]!, `${t.url}/docs/`));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(100_000); // read it all: an unread body keeps the server from closing
  });

  it('relaxes the CSP on /docs only; the API keeps helmet\'s strict headers', async () => {
    const docs = await fetch(`${t.url}/docs/`);
    const csp = docs.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('*');
    const api = await fetch(`${t.url}/api/tasks`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(api.headers.get('strict-transport-security')).toBeTruthy();
  });
});

if (!hasChromium) {
  console.warn(
    `[api-docs.test] SKIPPED the /docs browser test: ${CHROMIUM} is missing. ` + 'Install it (apt-get install -y chromium) to run it; .ci/run does.',
  );
}

describe('/docs in a real browser', () => {
  let browser: Browser;
  afterAll(async () => {
    await browser?.close();
  });

  it.skipIf(!hasChromium)('lists the routes and sends a request with a pasted token (screenshot in test-results/)', async () => {
    const token = await t.tokenFor('docs-user');
    await t.fetchAs('docs-user', '/api/tasks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Shown in the docs page' }),
    });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(60_000); // a 5 MB page script on a busy 2-core machine
    const offsite: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(t.url) && !request.url().startsWith('data:')) offsite.push(request.url());
    });
    const apiCalls: Array<{ status: number; url: string }> = [];
    page.on('response', (response) => {
      if (response.url().includes('/api/tasks')) apiCalls.push({ status: response.status(), url: response.url() });
    });

    await page.goto(`${t.url}/docs/`);
    for (const summary of ['List tasks, newest first', 'Create a task', 'Get a task', 'Delete a task', 'Mark a task completed']) {
      await page.getByText(summary).first().waitFor({ state: 'visible' });
    }
    for (const path of ['/api/tasks', '/api/tasks/{id}', '/api/tasks/{id}/complete']) {
      expect(await page.getByText(path, { exact: true }).count()).toBeGreaterThan(0);
    }

    await page.getByPlaceholder('Token').first().fill(token);
    await page.getByText('List tasks, newest first').first().click();
    await page.getByRole('button', { name: /Test Request.*get \/api\/tasks\)/i }).first().click();
    await page.getByRole('button', { name: /^Send/i }).first().click();
    await page.getByText('Shown in the docs page').first().waitFor({ state: 'visible', timeout: 10_000 });

    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: join(outputDir, 'docs-try-it.png') });
    await browser.close();
    expect(apiCalls).toContainEqual({ status: 200, url: expect.stringContaining('/api/tasks?') });
    expect(offsite).toEqual([]);
  }, 180_000);
});
