// initdb in a child process of the entry, in-process from the parent's side (first-start.test.ts
// runs the whole process).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { INIT_DATA_DIR, initChildExitCode, initInChildProcess } from './init-data-dir.ts';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const entry = { execPath: process.execPath, execArgv: ['--watch-path=/nowhere'], script: main, env: { ...process.env, LOG_LEVEL: 'silent' } };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tasks-init-data-dir-'));
  dirs.push(dir);
  return dir;
};

describe('initInChildProcess', () => {
  it('creates the database in a child of the entry once, and not again', async () => {
    const dataDir = join(tempDir(), 'pglite');
    expect(await initInChildProcess(dataDir, entry)).toBe(true);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(await initInChildProcess(dataDir, entry)).toBe(false);
  }, 60_000);

  it('leaves memory alone', async () => {
    expect(await initInChildProcess('memory', entry)).toBe(false);
  });

  it('rejects, naming the directory and the exit code, when the child fails', async () => {
    const blocker = join(tempDir(), 'not-a-directory');
    writeFileSync(blocker, '');
    await expect(initInChildProcess(join(blocker, 'pglite'), entry)).rejects.toThrow(/in .*not-a-directory\/pglite failed \(exit code 1\)/);
  }, 60_000);
});

describe('initChildExitCode', () => {
  it('is undefined for the server process itself', async () => {
    expect(await initChildExitCode({}, { write: () => true })).toBeUndefined();
  });

  it('runs initdb and gives 0 in the child, or 1 with one line on stderr', async () => {
    const dataDir = join(tempDir(), 'pglite');
    expect(await initChildExitCode({ [INIT_DATA_DIR]: dataDir }, { write: () => true })).toBe(0);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

    const blocker = join(tempDir(), 'file');
    writeFileSync(blocker, '');
    const err: string[] = [];
    expect(await initChildExitCode({ [INIT_DATA_DIR]: join(blocker, 'pglite') }, { write: (text: string) => err.push(text) })).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/\n$/);
    expect(err[0]!.split('\n')).toHaveLength(2);
  }, 60_000);
});
