// Bearer-token verification with jose: a shared HS256/HS512 secret (Better Auth's
// BETTER_AUTH_SECRET style) and/or the asymmetric keys of a JWKS endpoint (Better Auth's JWT plugin).
import { TRPCError } from '@trpc/server';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwksCache,
  jwtVerify,
  type ExportedJWKSCache,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { ServiceUnavailable, Unauthorized } from './errors.ts';

export interface AuthConfig {
  /** HS256/HS512 shared secret, at least 32 bytes. */
  secret?: string | undefined;
  /** URL of the auth server's JSON Web Key Set. */
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Allowed clock skew in seconds (at most 60). */
  clockToleranceSeconds?: number | undefined;
  /** When set, tokens must carry `iat` no older than this (and not in the future). */
  maxTokenAgeSeconds?: number | undefined;
  /** Minimum time between two JWKS refetches triggered by an unknown `kid` (ms). */
  jwksCooldownMs?: number | undefined;
  /** How long a fetched JWKS is used before it is fetched again (ms; jose's default, 10 minutes). */
  jwksCacheMaxAgeMs?: number | undefined;
  /** How long the last good JWKS keeps verifying tokens while refetching it fails (s; default 24 h). */
  jwksMaxStaleSeconds?: number | undefined;
  /** Told once when fetching the JWKS starts failing, and once when it works again. */
  onKeysOutage?: ((event: KeysOutageEvent) => void) | undefined;
  /** How many verified tokens to remember (0 turns the cache off). */
  cacheSize?: number | undefined;
  /** Told of each valid token: found in the verified-token cache (true) or verified by its signature (metrics). */
  onTokenCacheLookup?: ((hit: boolean) => void) | undefined;
}

export type KeysOutageEvent =
  | { state: 'started'; reason: string; staleKeys: boolean }
  | { state: 'ended'; failedFetches: number; seconds: number };

export interface Authenticator {
  /** Resolves to the token's user id, or rejects with UNAUTHORIZED (or SERVICE_UNAVAILABLE when keys cannot be fetched). */
  verify(token: string): Promise<string>;
}

export const SYMMETRIC_ALGORITHMS = ['HS256', 'HS512'];
export const ASYMMETRIC_ALGORITHMS = [
  'EdDSA',
  'Ed25519',
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
];

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'Token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `Token claim check failed: ${error.claim}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'Token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'Token was signed with an unknown key';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'Token algorithm is not accepted';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'Token is malformed';
  return 'Token is invalid';
}

interface JwksOptions {
  cooldownMs: number;
  cacheMaxAgeMs: number;
  maxStaleMs: number;
  onOutage: ((event: KeysOutageEvent) => void) | undefined;
}

const keyError = (error: unknown) =>
  error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported;

/**
 * A JWKS key getter that outlives the auth server: jose refetches a set older than its cache age and,
 * when that fetch fails, fails every token, keys it already knew included (it has no stale-if-error).
 * Here the last good set (handed over through jose's `jwksCache`) keeps verifying the keys it holds
 * for up to `maxStaleMs`, with one refetch attempt per cooldown; a key id it never held is a 503
 * (retry), not a 401, since the auth server may well have published it.
 */
function jwksKeyGetter(url: string, options: JwksOptions): JWTVerifyGetKey {
  const lastGood: Partial<ExportedJWKSCache> = {};
  // An unknown kid (a rotated key) refetches the set, at most once per cooldown, so forged kids
  // cannot turn this server into a flood against the auth server.
  const jwks = createRemoteJWKSet(new URL(url), {
    timeoutDuration: 5_000,
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
    [jwksCache]: lastGood as ExportedJWKSCache,
  });
  let outage: { since: number; failures: number; retryAt: number; cause: unknown } | undefined;
  let stale: { at: number; getKey: ReturnType<typeof createLocalJWKSet> } | undefined;

  const unavailable = (cause: unknown) => new ServiceUnavailable('The token keys cannot be fetched; retry shortly', cause);
  const staleKeys = () => {
    if (lastGood.jwks === undefined || lastGood.uat === undefined || Date.now() - lastGood.uat > options.maxStaleMs) return undefined;
    if (stale?.at !== lastGood.uat) stale = { at: lastGood.uat, getKey: createLocalJWKSet(lastGood.jwks) };
    return stale.getKey;
  };
  const fromStale: JWTVerifyGetKey = async (header, token) => {
    const getKey = staleKeys();
    if (!getKey) throw unavailable(outage?.cause);
    try {
      return await getKey(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) throw unavailable(error);
      throw error;
    }
  };
  const fetchedSinceOutage = () => outage !== undefined && lastGood.uat !== undefined && lastGood.uat > outage.since;
  const endOutage = () => {
    if (!outage) return;
    options.onOutage?.({ state: 'ended', failedFetches: outage.failures, seconds: Math.round((Date.now() - outage.since) / 1000) });
    outage = undefined;
  };

  return async (header, token) => {
    if (outage && Date.now() < outage.retryAt && staleKeys()) return fromStale(header, token);
    try {
      const key = await jwks(header, token);
      if (fetchedSinceOutage()) endOutage();
      return key;
    } catch (error) {
      if (keyError(error)) {
        if (fetchedSinceOutage()) endOutage();
        // Not refetched (cooldown) while the auth server is down: the key may exist there.
        if (outage && error instanceof errors.JWKSNoMatchingKey) throw unavailable(error);
        throw error;
      }
      const now = Date.now();
      if (!outage) {
        outage = { since: now, failures: 0, retryAt: 0, cause: error };
        options.onOutage?.({ state: 'started', reason: error instanceof Error ? error.message : String(error), staleKeys: staleKeys() !== undefined });
      }
      outage.failures++;
      outage.retryAt = now + options.cooldownMs;
      outage.cause = error;
      return fromStale(header, token);
    }
  };
}

export function createAuthenticator(config: AuthConfig): Authenticator {
  const secret = config.secret ? new TextEncoder().encode(config.secret) : undefined;
  const jwks = config.jwksUrl
    ? jwksKeyGetter(config.jwksUrl, {
        cooldownMs: config.jwksCooldownMs ?? 30_000,
        cacheMaxAgeMs: config.jwksCacheMaxAgeMs ?? 600_000,
        maxStaleMs: (config.jwksMaxStaleSeconds ?? 86_400) * 1000,
        onOutage: config.onKeysOutage,
      })
    : undefined;
  if (!secret && !jwks) throw new Error('createAuthenticator needs a secret or a JWKS URL');

  const base: JWTVerifyOptions = {
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: Math.min(config.clockToleranceSeconds ?? 30, 60),
    requiredClaims: ['exp'],
    ...(config.maxTokenAgeSeconds ? { maxTokenAge: config.maxTokenAgeSeconds } : {}),
  };

  async function verifyPayload(token: string): Promise<JWTPayload> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new Unauthorized('Token is malformed');
    }
    if (typeof alg !== 'string') throw new Unauthorized('Token is malformed');
    // Route by algorithm family, and pin each key type to its own family, so that an HS token can
    // never be checked against a public key (the classic alg-confusion attack) or `none` accepted.
    if (SYMMETRIC_ALGORITHMS.includes(alg) && secret) {
      return (await jwtVerify(token, secret, { ...base, algorithms: SYMMETRIC_ALGORITHMS })).payload;
    }
    if (ASYMMETRIC_ALGORITHMS.includes(alg) && jwks) {
      return (await jwtVerify(token, jwks, { ...base, algorithms: ASYMMETRIC_ALGORITHMS })).payload;
    }
    throw new Unauthorized('Token algorithm is not accepted');
  }

  const cache = new VerifiedTokenCache(config.cacheSize ?? 10_000);

  return {
    async verify(token) {
      const cached = cache.get(token);
      if (cached !== undefined) {
        config.onTokenCacheLookup?.(true);
        return cached;
      }
      let payload: JWTPayload;
      try {
        payload = await verifyPayload(token);
      } catch (error) {
        if (error instanceof TRPCError) throw error;
        throw new Unauthorized(describeJoseError(error), error);
      }
      const userId = payload.sub ?? payload['user_id'];
      if (typeof userId !== 'string' || userId.length === 0 || userId.length > 255) {
        throw new Unauthorized('Token has no user id (sub)');
      }
      const exp = payload.exp as number;
      const maxAgeEnd = config.maxTokenAgeSeconds && payload.iat ? payload.iat + config.maxTokenAgeSeconds : exp;
      cache.set(token, userId, Math.min(exp, maxAgeEnd));
      // Counted once verified, so a malformed token or another credential (the metrics token) is no miss.
      config.onTokenCacheLookup?.(false);
      return userId;
    },
  };
}

/**
 * Remembers tokens that verified, so a client sending the same token on every request pays for the
 * signature check once. An entry never outlives the token's `exp`, nor one minute (so a JWKS key
 * rotation or a changed secret takes effect quickly); the oldest entry goes first when full.
 */
class VerifiedTokenCache {
  private readonly entries = new Map<string, { userId: string; until: number }>();
  private readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get(token: string): string | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (Date.now() >= entry.until) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.userId;
  }

  /** `validUntil` in epoch seconds: the token's `exp`, or earlier when a maximum age applies. */
  set(token: string, userId: string, validUntil: number): void {
    if (this.capacity <= 0) return;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { userId, until: Math.min(validUntil * 1000, Date.now() + 60_000) });
  }
}

/** Extracts the token from an `Authorization` header value; the scheme word is case-insensitive. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/**
 * The whole check of an `Authorization` header: present, Bearer scheme, valid token.
 * Resolves to the user id; rejects with UNAUTHORIZED (or SERVICE_UNAVAILABLE when keys cannot be fetched).
 */
export async function authenticateHeader(authenticator: Authenticator | undefined, header: string | undefined): Promise<string> {
  if (!header) throw new Unauthorized('Missing bearer token');
  const token = bearerToken(header);
  if (!token) throw new Unauthorized('Authorization header must be "Bearer <token>"');
  if (!authenticator) throw new Unauthorized('Authentication is not configured');
  return authenticator.verify(token);
}
