// Process entry: the real process's environment, output, exit and signals, handed to runServer.
import { fileURLToPath } from 'node:url';
import { runServer } from './run-server.ts';

await runServer({
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  exit: (code) => process.exit(code),
  onSignal: (signal, handler) => process.on(signal, handler),
  // The same two levels up from src/main.ts and from the bundled dist/main.js.
  webRoot: fileURLToPath(new URL('../../web/dist', import.meta.url)),
});
