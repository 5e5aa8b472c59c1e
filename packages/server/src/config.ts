// Configuration is read from the environment once, here, into a typed object; a bad value stops
// start-up with a message that names the variable.
import { ianaTimeZone } from '@tasks/api';
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const port = z.coerce.number().int().min(0).max(65_535);

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: port.default(8000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
        .optional(),
    ),
    DATA_DIR: z.string().min(1).default('.data/pglite'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
    DATABASE_PREPARED_STATEMENTS: z.stringbool().default(true),
    AUTH_SECRET: optionalString,
    BETTER_AUTH_SECRET: optionalString,
    AUTH_JWKS_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    AUTH_ISSUER: optionalString,
    AUTH_AUDIENCE: optionalString,
    AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(60).default(30),
    AUTH_MAX_TOKEN_AGE_SECONDS: z.coerce.number().int().min(0).default(0),
    AUTH_ACCOUNTS: z.stringbool().default(true),
    AUTH_ATTEMPTS_PER_EMAIL: z.coerce.number().int().min(0).default(10),
    AUTH_ATTEMPTS_PER_IP: z.coerce.number().int().min(0).default(50),
    AUTH_ATTEMPTS_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    CORS_ORIGINS: optionalString,
    RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(600),
    RATE_LIMIT_WINDOW: z.string().min(1).default('1 minute'),
    REDIS_URL: optionalString.pipe(
      z
        .string()
        .regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
        .optional(),
    ),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
    HANDLER_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
    TRPC_MAX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
    TRPC_FAST_QUERIES: z.stringbool().default(true),
    IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 86_400).default(86_400),
    IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
    REQUIRE_IF_MATCH: z.stringbool().default(false),
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, { message: 'must be at least 16 characters' }).optional()),
    METRICS_PORT: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), port.optional()),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    OTEL_SERVICE_NAME: z.string().min(1).default('tasks-api'),
    AUTH_JWKS_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(1).default(600),
    AUTH_JWKS_MAX_STALE_SECONDS: z.coerce.number().int().min(0).default(86_400),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
    SHUTDOWN_IDLE_GRACE_MS: z.coerce.number().int().min(0).default(1_000),
    DATABASE_LISTEN_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
        .optional(),
    ),
    CHANGES_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    EVENTS_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).default(10),
    EVENTS_MAX_STREAMS: z.coerce.number().int().min(1).default(5_000),
    EVENTS_HEARTBEAT_MS: z.coerce.number().int().min(1_000).default(15_000),
    EVENTS_MAX_BUFFER_BYTES: z.coerce.number().int().min(16_384).default(1_048_576),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    APP_TIME_ZONE: optionalString.pipe(ianaTimeZone.optional()),
  })
  .superRefine((env, ctx) => {
    const secret = env.AUTH_SECRET ?? env.BETTER_AUTH_SECRET;
    if (secret && Buffer.byteLength(secret) < 32) {
      const name = env.AUTH_SECRET ? 'AUTH_SECRET' : 'BETTER_AUTH_SECRET';
      ctx.addIssue({ code: 'custom', path: [name], message: 'must be at least 32 bytes' });
    }
    if (env.NODE_ENV === 'production' && !secret && !env.AUTH_JWKS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SECRET'],
        message: 'AUTH_SECRET (or BETTER_AUTH_SECRET) or AUTH_JWKS_URL is required when NODE_ENV=production',
      });
    }
  });

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  database: {
    url: string | undefined;
    dataDir: string;
    poolMax: number;
    connectionTimeoutMs: number;
    statementTimeoutMs: number;
    preparedStatements: boolean;
  };
  auth: {
    secret: string | undefined;
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
    clockToleranceSeconds: number;
    maxTokenAgeSeconds: number | undefined;
    /** How long a fetched JWKS is used before it is fetched again. */
    jwksCacheMaxAgeSeconds: number;
    /** How long the last good JWKS keeps verifying tokens while the auth server cannot be reached. */
    jwksMaxStaleSeconds: number;
  };
  /**
   * The /auth and `auth.*` accounts: `enabled` unless AUTH_ACCOUNTS=false; sign-up and sign-in
   * attempts per email and per address per window (0 turns that limit off), counted in REDIS_URL's
   * Redis when set.
   */
  accounts: { enabled: boolean; attemptsPerEmail: number; attemptsPerIp: number; windowSeconds: number };
  corsOrigins: string[];
  /** `redisUrl`: counters in Redis, shared by every instance; otherwise in this process's memory. */
  rateLimit: { max: number; window: string; redisUrl: string | undefined };
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  handlerTimeoutMs: number;
  trpcMaxBatchSize: number;
  /** tasks.list, tasks.get and tasks.stats over GET answered without tRPC's fetch adapter (the same bytes, faster). */
  trpcFastQueries: boolean;
  /** Idempotency-Key answers are replayed for `ttlSeconds`; a retry waits up to `inFlightWaitMs` for the first. */
  idempotency: { ttlSeconds: number; inFlightWaitMs: number };
  /** REST writes of one task without If-Match answer 428. */
  requireIfMatch: boolean;
  /**
   * The changes feed and live events: retention of changes (days), the listener's direct connection
   * (absent: DATABASE_URL), stream limits, the REST stream's heartbeat and its slow-reader bound.
   */
  events: {
    retentionDays: number;
    listenUrl: string | undefined;
    maxStreamsPerUser: number;
    maxStreams: number;
    heartbeatMs: number;
    maxBufferBytes: number;
  };
  logLevel: string;
  /** The server's calendar (an IANA zone): "today" on the original routes, which have no time zone input. */
  appTimeZone: string;
  /**
   * /metrics behind `metricsToken` on the main port and/or on `metricsPort` (neither: no metrics);
   * OpenTelemetry traces to `otlpEndpoint` (unset: tracing is not loaded).
   */
  observability: { metricsToken: string | undefined; metricsPort: number | undefined; otlpEndpoint: string | undefined; serviceName: string };
  /** On SIGTERM: how long open connections may take to be answered before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** On SIGTERM: how long a keep-alive socket may stay idle (its client may be sending) before it is closed. */
  shutdownIdleGraceMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  // The original's default list, http://localhost:3000 … :3010 (its front end and a few dev servers).
  const corsDefault = env.NODE_ENV === 'production' ? [] : Array.from({ length: 11 }, (_, i) => `http://localhost:${3000 + i}`);
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    database: {
      url: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      poolMax: env.DATABASE_POOL_MAX,
      connectionTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    },
    auth: {
      secret: env.AUTH_SECRET ?? env.BETTER_AUTH_SECRET,
      jwksUrl: env.AUTH_JWKS_URL,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
      maxTokenAgeSeconds: env.AUTH_MAX_TOKEN_AGE_SECONDS || undefined,
      jwksCacheMaxAgeSeconds: env.AUTH_JWKS_CACHE_MAX_AGE_SECONDS,
      jwksMaxStaleSeconds: env.AUTH_JWKS_MAX_STALE_SECONDS,
    },
    accounts: {
      enabled: env.AUTH_ACCOUNTS,
      attemptsPerEmail: env.AUTH_ATTEMPTS_PER_EMAIL,
      attemptsPerIp: env.AUTH_ATTEMPTS_PER_IP,
      windowSeconds: env.AUTH_ATTEMPTS_WINDOW_SECONDS,
    },
    corsOrigins: env.CORS_ORIGINS
      ? env.CORS_ORIGINS.split(',')
          .map((o) => o.trim())
          .filter(Boolean)
      : corsDefault,
    rateLimit: { max: env.RATE_LIMIT_MAX, window: env.RATE_LIMIT_WINDOW, redisUrl: env.REDIS_URL },
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    handlerTimeoutMs: env.HANDLER_TIMEOUT_MS,
    trpcMaxBatchSize: env.TRPC_MAX_BATCH_SIZE,
    trpcFastQueries: env.TRPC_FAST_QUERIES,
    idempotency: { ttlSeconds: env.IDEMPOTENCY_TTL_SECONDS, inFlightWaitMs: env.IDEMPOTENCY_WAIT_MS },
    requireIfMatch: env.REQUIRE_IF_MATCH,
    events: {
      retentionDays: env.CHANGES_RETENTION_DAYS,
      listenUrl: env.DATABASE_LISTEN_URL,
      maxStreamsPerUser: env.EVENTS_MAX_STREAMS_PER_USER,
      maxStreams: env.EVENTS_MAX_STREAMS,
      heartbeatMs: env.EVENTS_HEARTBEAT_MS,
      maxBufferBytes: env.EVENTS_MAX_BUFFER_BYTES,
    },
    logLevel: env.LOG_LEVEL,
    appTimeZone: env.APP_TIME_ZONE ?? 'UTC',
    observability: {
      metricsToken: env.METRICS_TOKEN,
      metricsPort: env.METRICS_PORT,
      otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: env.OTEL_SERVICE_NAME,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    shutdownIdleGraceMs: env.SHUTDOWN_IDLE_GRACE_MS,
  };
}
