// `pnpm --filter @tasks/web measure`: the production bundle's gzip size (JS + CSS), and the time
// from a cold load (new browser context: empty cache) to the first task list shown, on loopback
// against the real server on in-memory PGlite, as the median of RUNS loads (default 7).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startTestServer } from '@tasks/testing';
import { chromium } from 'playwright-core';
import { buildWebApp } from './build-once.mjs';

const runs = Number(process.env.RUNS ?? 7);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const webRoot = buildWebApp(mkdtempSync(join(tmpdir(), 'tasks-web-measure-')));
const assets = readdirSync(join(webRoot, 'assets')).filter((file) => /\.(js|css)$/.test(file));
let raw = 0;
let gzip = 0;
for (const file of assets) {
  const bytes = readFileSync(join(webRoot, 'assets', file));
  raw += bytes.length;
  gzip += gzipSync(bytes, { level: 9 }).length;
}
console.log(`bundle: ${assets.length} files (JS + CSS), ${raw} bytes, ${gzip} bytes gzip`);

const t = await startTestServer({ webRoot });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const { token } = await t.clientFor('anyone').auth.signUp.mutate({ email: `measure-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Measure' });
  const client = (await import('@tasks/client')).createTasksClient({ url: t.trpcUrl, token });
  for (let i = 1; i <= 20; i++) await client.tasks.create.mutate({ title: `Task ${i}` });
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext();
    await context.addInitScript((value) => {
      localStorage.setItem('tasks.session', JSON.stringify({ token: value }));
      // Stamped in the page when the rows appear, so the figure has no DevTools round trip in it.
      new MutationObserver((_changes, observer) => {
        if (document.querySelectorAll('.tasks li').length < 20) return;
        (window as unknown as { listShownAt: number }).listShownAt = performance.now();
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    }, token);
    const page = await context.newPage();
    await page.goto(t.url, { waitUntil: 'commit' });
    await page.locator('.tasks li').nth(19).waitFor();
    // From the navigation's start (performance.now()'s zero) to the list's 20 rows in the DOM.
    times.push(await page.evaluate(() => (window as unknown as { listShownAt: number }).listShownAt));
    await context.close();
  }
  console.log(`cold load to first task list (20 tasks), ${runs} runs: median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`);
} finally {
  await browser.close();
  await t.close();
  rmSync(webRoot, { recursive: true, force: true });
}
