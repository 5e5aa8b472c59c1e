// The server process's life, as a function of what a process gives it (environment, output, exit,
// signals), so tests run it in-process: configuration from the environment, start-up, the printed
// banner and development token, and shutdown on SIGTERM/SIGINT. main.ts hands it the real process.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, createServer, loadConfig, type Config, type TasksServer } from '@tasks/server';

export interface ProcessPorts {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  exit(code: number): void;
  onSignal(signal: 'SIGTERM' | 'SIGINT', handler: () => void): void;
  /** The built web app to serve at `/` (apps/web/dist); skipped, with a note, when it was not built. */
  webRoot?: string;
  /**
   * Readies an embedded database's DATA_DIR before the server opens it, resolving to true when it
   * created the database there (main.ts runs initdb in a child process).
   */
  prepareDataDir?: (dataDir: string) => Promise<boolean>;
}

/**
 * Development only: keep the generated secret beside the embedded database, so the printed token
 * (and a front end holding it) keeps working across restarts. Nothing is kept with DATA_DIR=memory.
 */
export function developmentSecret(config: Config): string | undefined {
  if (config.auth.secret || config.auth.jwksUrl || config.env === 'production') return undefined;
  if (config.database.dataDir === 'memory') return undefined;
  const file = join(dirname(config.database.dataDir), 'dev-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

function banner(url: string, config: Config, server: TasksServer, webApp: string | undefined, created: boolean): string {
  const where = config.database.url ? 'PostgreSQL' : `embedded PGlite (${config.database.dataDir})`;
  let text =
    `\nTasks API listening on ${url} (database: ${where})\n` +
    `  ${webApp ? `app: ${url}/   ` : ''}tRPC: ${url}/trpc   REST: ${url}/api/tasks   docs: ${url}/docs   health: ${url}/healthz\n` +
    (created ? `  created a new embedded database in ${config.database.dataDir}\n` : '');
  if (server.devToken) {
    text +=
      `\nNo AUTH_SECRET or AUTH_JWKS_URL set: using a development secret. A token for user "dev-user" (30 days):\n\n` +
      `  export TOKEN=${server.devToken}\n\n`;
  }
  return text;
}

/** Starts the server; resolves to it once it listens, or to undefined when start-up failed (and exit was called). */
export async function runServer(ports: ProcessPorts): Promise<TasksServer | undefined> {
  let config: Config;
  try {
    config = loadConfig(ports.env);
  } catch (error) {
    // A bad variable is named in the message; anything else is a start-up failure like any other.
    ports.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `Failed to start: ${String(error)}\n`);
    ports.exit(1);
    return undefined;
  }

  let server: TasksServer;
  try {
    const created = !config.database.url && ((await ports.prepareDataDir?.(config.database.dataDir)) ?? false);
    const devSecret = developmentSecret(config);
    const webRoot = ports.webRoot && existsSync(join(ports.webRoot, 'index.html')) ? ports.webRoot : undefined;
    if (ports.webRoot && !webRoot) ports.stderr.write(`No web app at ${ports.webRoot} (build it with pnpm build:web); serving the API only\n`);
    server = await createServer(config, { ...(devSecret ? { devSecret } : {}), ...(webRoot ? { webRoot } : {}) });
    ports.stdout.write(banner(await server.start(), config, server, webRoot, created));
  } catch (error) {
    ports.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    ports.exit(1);
    return undefined;
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      server.app.log.warn({ signal }, 'second signal: exiting now');
      ports.exit(1);
      return;
    }
    stopping = true;
    server.app.log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: draining open connections');
    // Closing the database waits for its queries; past the drain timeout and a margin, exit regardless.
    const deadline = setTimeout(() => ports.exit(1), config.shutdownTimeoutMs + 5_000).unref();
    server.drain().then(
      (outcome) => {
        clearTimeout(deadline);
        server.app.log.info({ outcome }, 'shut down');
        ports.exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        server.app.log.error({ err: error }, 'shutdown failed');
        ports.exit(1);
      },
    );
  };
  ports.onSignal('SIGTERM', () => shutdown('SIGTERM'));
  ports.onSignal('SIGINT', () => shutdown('SIGINT'));
  return server;
}
