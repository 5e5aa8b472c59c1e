// Per-caller rate limiting: keyed by the verified user id, or by IP before authentication, so that
// one user cannot exhaust the service and unauthenticated floods are bounded per address. With
// REDIS_URL the counters live in Redis, so N instances behind a load balancer enforce one limit per
// user; without it each instance counts alone (N instances allow N times the limit).
import rateLimit from '@fastify/rate-limit';
import { RateLimited } from '@tasks/api';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { connectRedis } from '../redis-connection.ts';

const UNLIMITED_PATHS = new Set(['/healthz', '/readyz', '/health', '/metrics']);

export async function registerRateLimit(app: FastifyInstance, config: Config['rateLimit'], onRejected?: () => void): Promise<void> {
  if (config.max === 0) return;
  const redis = config.redisUrl
    ? connectRedis(app, config.redisUrl, { purpose: 'rate-limit store', whileDown: 'requests are not limited until it is back' })
    : undefined;
  await app.register(rateLimit, {
    ...(redis
      ? {
          redis,
          nameSpace: 'tasks-api:rate-limit:',
          // Redis down: serve unlimited rather than fail every request (logged once per outage below).
          skipOnError: true,
        }
      : {}),
    global: true,
    max: config.max,
    timeWindow: config.window,
    allowList: (request) => UNLIMITED_PATHS.has(request.url.split('?')[0] ?? ''),
    ...(onRejected ? { onExceeded: onRejected } : {}),
    keyGenerator: (request) => (request.auth.userId !== null ? `user:${request.auth.userId}` : `ip:${request.ip}`),
    // A catalogue error, so every surface answers it in its own format with the same Retry-After.
    errorResponseBuilder: (_request, context) =>
      new RateLimited(
        `Rate limit exceeded: ${context.max} requests per ${context.after === '1 minute' ? 'minute' : 'window'}; retry in ${context.after}`,
        Math.ceil(context.ttl / 1000),
      ),
  });
}
