// Process entry: the real process's environment, output, exit and signals, handed to runServer.
import { runServer } from './run-server.ts';

await runServer({
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  exit: (code) => process.exit(code),
  onSignal: (signal, handler) => process.on(signal, handler),
});
