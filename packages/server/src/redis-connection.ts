// The one way this server connects to Redis (the rate limit's and the sign-in attempts' shared
// counters): a check must never hold a request, so commands fail fast while Redis is away and the
// client reconnects behind; an outage is logged once when it starts and once when it ends.
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  /** What the connection is for, in the log lines: `rate-limit store`. */
  purpose: string;
  /** What happens to requests while Redis is away, for the outage's log line. */
  whileDown: string;
  /** Wait (up to 2 s) for the connection before the server listens, so counting starts shared. */
  waitBeforeListening?: boolean;
}

export function connectRedis(app: FastifyInstance, url: string, options: RedisConnectionOptions): Redis {
  const redis = new Redis(url, {
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  let down = false;
  redis.on('error', (error) => {
    if (down) return;
    down = true;
    app.log.warn({ err: error }, `${options.purpose} (Redis) unreachable: ${options.whileDown}`);
  });
  redis.on('ready', () => {
    if (down) app.log.info(`${options.purpose} (Redis) reachable again`);
    down = false;
  });
  if (options.waitBeforeListening) {
    app.addHook('onReady', async () => {
      if (redis.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2_000);
        redis.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    });
  }
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  return redis;
}
