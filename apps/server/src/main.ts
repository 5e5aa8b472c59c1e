// Process entry: the real process's environment, output, exit and signals, handed to runServer.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initPgliteDataDir, pgliteDataDirReady } from '@tasks/db';

/** Set for the child process that runs initdb (initInChildProcess) and exits. */
const INIT_DATA_DIR = 'TASKS_INIT_DATA_DIR';

/**
 * The first start on an empty DATA_DIR runs PGlite's initdb, and the process that runs it stays
 * hundreds of MB larger (486 MB idle against about 205 MB on a ready directory, bench/README.md):
 * a child of this same entry, with the same Node flags, runs it and exits, and this process then
 * opens a ready directory like any later start.
 */
function initInChildProcess(dataDir: string): Promise<boolean> {
  if (dataDir === 'memory' || pgliteDataDirReady(dataDir)) return Promise.resolve(false);
  // `node --watch` restarts its script on changes; the child runs once.
  const flags = process.execArgv.filter((flag) => !flag.startsWith('--watch'));
  const child = spawn(process.execPath, [...flags, process.argv[1]!], {
    env: { ...process.env, [INIT_DATA_DIR]: dataDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve(true) : reject(new Error(`initializing the embedded database in ${dataDir} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

const initDataDir = process.env[INIT_DATA_DIR];
if (initDataDir) {
  try {
    await initPgliteDataDir(initDataDir);
    process.exit(0);
  } catch (error) {
    // One line: the parent says which directory failed, and exits 1 itself.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

// Loaded only here: the initdb child needs none of the server.
const { runServer } = await import('./run-server.ts');
await runServer({
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  exit: (code) => process.exit(code),
  onSignal: (signal, handler) => process.on(signal, handler),
  prepareDataDir: initInChildProcess,
  // The same two levels up from src/main.ts and from the bundled dist/main.js.
  webRoot: fileURLToPath(new URL('../../web/dist', import.meta.url)),
});
