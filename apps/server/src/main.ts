// Process entry: the real process's environment, output, exit and signals, handed to runServer.
import { fileURLToPath } from 'node:url';
import { initChildExitCode, initInChildProcess } from './init-data-dir.ts';

// The initdb child (init-data-dir.ts) does only that.
const code = await initChildExitCode(process.env, process.stderr);
if (code !== undefined) process.exit(code);

// Loaded only here: the initdb child needs none of the server.
const { runServer } = await import('./run-server.ts');
const entry = { execPath: process.execPath, execArgv: process.execArgv, script: process.argv[1]!, env: process.env };
await runServer({
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  exit: (exitCode) => process.exit(exitCode),
  onSignal: (signal, handler) => process.on(signal, handler),
  prepareDataDir: (dataDir) => initInChildProcess(dataDir, entry),
  // The same two levels up from src/main.ts and from the bundled dist/main.js.
  webRoot: fileURLToPath(new URL('../../web/dist', import.meta.url)),
});
