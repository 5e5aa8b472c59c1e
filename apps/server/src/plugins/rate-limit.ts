// Per-caller rate limiting: keyed by the verified user id, or by IP before authentication, so that
// one user cannot exhaust the service and unauthenticated floods are bounded per address.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

const UNLIMITED_PATHS = new Set(['/healthz', '/readyz']);

export async function registerRateLimit(app: FastifyInstance, config: Config['rateLimit']): Promise<void> {
  if (config.max === 0) return;
  await app.register(rateLimit, {
    global: true,
    max: config.max,
    timeWindow: config.window,
    allowList: (request) => UNLIMITED_PATHS.has(request.url.split('?')[0] ?? ''),
    keyGenerator: (request) => (request.auth && 'userId' in request.auth ? `user:${request.auth.userId}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'TOO_MANY_REQUESTS',
      message: `Rate limit exceeded: ${context.max} requests per ${context.after === '1 minute' ? 'minute' : 'window'}; retry in ${context.after}`,
    }),
  });
}
