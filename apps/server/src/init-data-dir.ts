// The first start on an empty DATA_DIR runs PGlite's initdb, and the process that runs it stays
// hundreds of MB larger (486 MB idle against about 205 MB on a ready directory, bench/README.md):
// a child of the server's own entry, with the same Node flags, runs it and exits, and the server then
// opens a ready directory like any later start.
import { spawn } from 'node:child_process';
import { initPgliteDataDir, pgliteDataDirReady } from '@tasks/db';

/** Set for the child process that runs initdb and exits. */
export const INIT_DATA_DIR = 'TASKS_INIT_DATA_DIR';

export interface Entry {
  execPath: string;
  execArgv: string[];
  /** The script the child runs: the server's entry (main.ts or the bundled main.js). */
  script: string;
  env: Record<string, string | undefined>;
}

/** Runs initdb in `dataDir` in a child process of `entry`; resolves to true when it created the database. */
export function initInChildProcess(dataDir: string, entry: Entry): Promise<boolean> {
  if (dataDir === 'memory' || pgliteDataDirReady(dataDir)) return Promise.resolve(false);
  // `node --watch` restarts its script on changes; the child runs once.
  const flags = entry.execArgv.filter((flag) => !flag.startsWith('--watch'));
  const child = spawn(entry.execPath, [...flags, entry.script], {
    env: { ...entry.env, [INIT_DATA_DIR]: dataDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve(true) : reject(new Error(`initializing the embedded database in ${dataDir} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

/**
 * In the entry, before anything else: when this process is the initdb child, runs initdb and gives
 * the exit code (a failure is one line on stderr; the parent names the directory); otherwise undefined.
 */
export async function initChildExitCode(env: Record<string, string | undefined>, stderr: { write(text: string): unknown }): Promise<number | undefined> {
  const dataDir = env[INIT_DATA_DIR];
  if (!dataDir) return undefined;
  try {
    await initPgliteDataDir(dataDir);
    return 0;
  } catch (error) {
    stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
