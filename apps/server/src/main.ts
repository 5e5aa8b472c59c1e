// Process entry: parse configuration, start, and shut down cleanly on SIGTERM/SIGINT.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, createServer, loadConfig, type Config } from '@tasks/server';

/**
 * Development only: keep the generated secret beside the embedded database, so the printed token
 * (and a front end holding it) keeps working across restarts. Nothing is kept with DATA_DIR=memory.
 */
function developmentSecret(config: Config): string | undefined {
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

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const devSecret = developmentSecret(config);
  const server = await createServer(config, devSecret ? { devSecret } : {});
  const url = await server.start();
  const where = config.database.url ? 'PostgreSQL' : `embedded PGlite (${config.database.dataDir})`;
  process.stdout.write(`\nTasks API listening on ${url} (database: ${where})\n`);
  process.stdout.write(`  tRPC: ${url}/trpc   REST: ${url}/api/tasks   docs: ${url}/docs   health: ${url}/healthz\n`);
  if (server.devToken) {
    process.stdout.write(
      `\nNo AUTH_SECRET or AUTH_JWKS_URL set: using a development secret. A token for user "dev-user" (30 days):\n\n` +
        `  export TOKEN=${server.devToken}\n\n`,
    );
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      server.app.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    server.app.log.info({ signal }, 'shutting down: draining in-flight requests');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
