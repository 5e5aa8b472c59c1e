// The real process's first start on an empty DATA_DIR: initdb runs in a child process of main.ts
// (so the server itself never carries what initdb leaves behind), the server then opens the ready
// directory, and what it stores is there on the next start.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signTestToken } from '@tasks/testing/tokens';
import { afterEach, describe, expect, it } from 'vitest';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const SECRET = 'first-start-test-secret-0123456789abcdef';
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts main.ts on DATA_DIR; resolves once it listens, with what it printed and the pids it spawned. */
async function start(dataDir: string) {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', AUTH_SECRET: SECRET, LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const out = await new Promise<string>((resolve, reject) => {
    let text = '';
    let err = '';
    child.stdout!.on('data', (chunk) => {
      text += chunk;
      if (/listening on http:\/\/127\.0\.0\.1:\d+[^\n]*\n[^\n]*\n/.test(text)) setTimeout(() => resolve(text), 50);
    });
    child.stderr!.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${text}${err}`)));
  });
  const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]);
  return { child, out, port, exited };
}

describe('first start on an empty DATA_DIR', () => {
  it('creates the database in a child process, says so, and keeps what is stored for the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasks-first-start-'));
    dirs.push(dir);
    const dataDir = join(dir, 'pglite');
    const token = await signTestToken({ secret: SECRET, sub: 'first-start' });
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const first = await start(dataDir);
    expect(first.out).toContain(`created a new embedded database in ${dataDir}`);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    const created = await fetch(`http://127.0.0.1:${first.port}/api/tasks`, { method: 'POST', headers: auth, body: JSON.stringify({ title: 'kept' }) });
    expect(created.status).toBe(201);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await start(dataDir);
    expect(second.out).not.toContain('created a new embedded database');
    const listed = await fetch(`http://127.0.0.1:${second.port}/api/tasks`, { headers: auth });
    expect(((await listed.json()) as { items: Array<{ title: string }> }).items.map((task) => task.title)).toEqual(['kept']);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);

  it('refuses to start, naming the directory, when initdb cannot run there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasks-first-start-'));
    dirs.push(dir);
    // A file where the data directory's parent should be: the child cannot create the directory.
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, '');
    const dataDir = join(blocker, 'pglite');
    await expect(start(dataDir)).rejects.toThrow(/exited \(1\) before listening[\s\S]*Failed to start: initializing the embedded database in .*not-a-directory\/pglite failed \(exit code 1\)/);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);
});
