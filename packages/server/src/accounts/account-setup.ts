// The accounts this server keeps, from its configuration: off (AUTH_ACCOUNTS=false), elsewhere (an
// identity provider's JWKS and no shared secret), or signed with the shared secret (AUTH_SECRET or the
// development secret), with their attempt limiter and its Redis connection.
import { accountsFor, type Accounts } from '@tasks/api';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { connectRedis } from '../redis-connection.ts';
import { createAttemptLimiter } from './attempt-limiter.ts';

/** `auth` is the configuration's, with the development secret filled in when the server made one. */
export function setUpAccounts(app: FastifyInstance, config: Config, auth: Config['auth']): Accounts {
  const { enabled, attemptsPerEmail, attemptsPerIp, windowSeconds } = config.accounts;
  const redisUrl = config.rateLimit.redisUrl;
  const keeps = enabled && Boolean(auth.secret);
  const shared = keeps && redisUrl && (attemptsPerEmail > 0 || attemptsPerIp > 0);
  const redis = shared
    ? connectRedis(app, redisUrl, {
        purpose: 'sign-in attempt store',
        whileDown: 'attempts are counted per instance until it is back',
        waitBeforeListening: true,
      })
    : undefined;
  return accountsFor({
    enabled,
    signer: { secret: auth.secret, issuer: auth.issuer, audience: auth.audience },
    limiter: createAttemptLimiter({ perEmail: attemptsPerEmail, perIp: attemptsPerIp, windowSeconds }, redis),
  });
}
