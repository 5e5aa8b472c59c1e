// The accounts this server keeps, from its configuration: off (AUTH_ACCOUNTS=false), elsewhere (an
// identity provider's JWKS and no shared secret), or signed with the shared secret (AUTH_SECRET or the
// development secret), with their attempt limiter and its Redis connection.
import { accountsFor, type Accounts } from '@tasks/api';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { createAttemptLimiter } from './attempt-limiter.ts';

/** `auth` is the configuration's, with the development secret filled in when the server made one. */
export function setUpAccounts(app: FastifyInstance, config: Config, auth: Config['auth']): Accounts {
  const { enabled, attemptsPerEmail, attemptsPerIp, windowSeconds } = config.accounts;
  const redisUrl = config.rateLimit.redisUrl;
  const keeps = enabled && Boolean(auth.secret);
  const redis = keeps && redisUrl && (attemptsPerEmail > 0 || attemptsPerIp > 0) ? connectRedis(app, redisUrl) : undefined;
  return accountsFor({
    enabled,
    signer: { secret: auth.secret, issuer: auth.issuer, audience: auth.audience },
    limiter: createAttemptLimiter({ perEmail: attemptsPerEmail, perIp: attemptsPerIp, windowSeconds }, redis),
  });
}

function connectRedis(app: FastifyInstance, url: string): Redis {
  const redis = new Redis(url, {
    // A sign-in must not wait on Redis: fail fast (and count in memory) while it is away.
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
    app.log.warn({ err: error }, 'sign-in attempt store (Redis) unreachable: attempts are counted per instance until it is back');
  });
  redis.on('ready', () => {
    if (down) app.log.info('sign-in attempt store (Redis) reachable again');
    down = false;
  });
  // Counting starts in memory until the connection is up: give it a moment before the server listens.
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
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  return redis;
}
