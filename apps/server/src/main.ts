// Process entry: parse configuration, start, and shut down cleanly on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config.ts';
import { createServer } from './server.ts';

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

  const server = await createServer(config);
  const url = await server.start();
  const where = config.database.url ? 'PostgreSQL' : `embedded PGlite (${config.database.dataDir})`;
  process.stdout.write(`\nTasks API listening on ${url} (database: ${where})\n`);
  process.stdout.write(`  tRPC: ${url}/trpc   health: ${url}/healthz\n`);
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
