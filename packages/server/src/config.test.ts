import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const SECRET = 'x'.repeat(32);

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8000,
      host: '127.0.0.1',
      database: { url: undefined, dataDir: '.data/pglite', poolMax: 10, preparedStatements: true },
      corsOrigins: Array.from({ length: 11 }, (_, i) => `http://localhost:${3000 + i}`),
      rateLimit: { max: 600, window: '1 minute' },
      logLevel: 'info',
      accounts: { enabled: true, attemptsPerEmail: 10, attemptsPerIp: 50, windowSeconds: 900 },
      appTimeZone: 'UTC',
    });
  });

  it('reads APP_TIME_ZONE as an IANA zone', () => {
    expect(loadConfig({ APP_TIME_ZONE: 'Europe/Paris' }).appTimeZone).toBe('Europe/Paris');
  });

  it('reads BETTER_AUTH_SECRET as an alias of AUTH_SECRET', () => {
    expect(loadConfig({ BETTER_AUTH_SECRET: SECRET }).auth.secret).toBe(SECRET);
    expect(loadConfig({ BETTER_AUTH_SECRET: SECRET, AUTH_SECRET: 'y'.repeat(40) }).auth.secret).toBe('y'.repeat(40));
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_POOL_MAX: '0' }, 'DATABASE_POOL_MAX'],
    [{ AUTH_SECRET: 'short' }, 'AUTH_SECRET'],
    [{ APP_TIME_ZONE: 'Mars/Olympus_Mons' }, 'APP_TIME_ZONE'],
    [{ APP_TIME_ZONE: '+02:00' }, 'APP_TIME_ZONE'],
    [{ BETTER_AUTH_SECRET: 'short' }, 'BETTER_AUTH_SECRET'],
    [{ AUTH_JWKS_URL: 'not a url' }, 'AUTH_JWKS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_PREPARED_STATEMENTS: 'sometimes' }, 'DATABASE_PREPARED_STATEMENTS'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ NODE_ENV: 'production' }, 'AUTH_SECRET'],
    [{ AUTH_ACCOUNTS: 'maybe' }, 'AUTH_ACCOUNTS'],
    [{ AUTH_ATTEMPTS_PER_EMAIL: '-1' }, 'AUTH_ATTEMPTS_PER_EMAIL'],
    [{ AUTH_ATTEMPTS_WINDOW_SECONDS: '0' }, 'AUTH_ATTEMPTS_WINDOW_SECONDS'],
  ])('rejects %o naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('accepts production with a JWKS URL and no secret, and defaults CORS to none', () => {
    const config = loadConfig({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://auth.example.com/api/auth/jwks' });
    expect(config.auth.jwksUrl).toBe('https://auth.example.com/api/auth/jwks');
    expect(config.corsOrigins).toEqual([]);
  });

  it('accepts a Neon-style sslmode=require URL as given', () => {
    const url = 'postgresql://user:pw@ep-x.eu-central-1.aws.neon.tech/neondb?sslmode=require';
    expect(loadConfig({ DATABASE_URL: url }).database.url).toBe(url);
  });

  it('turns prepared statements off for a pooler that cannot carry them', () => {
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).database.preparedStatements).toBe(false);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: '0' }).database.preparedStatements).toBe(false);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'true' }).database.preparedStatements).toBe(true);
  });

  it('splits CORS_ORIGINS', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('allows http://localhost:3000 through :3010 outside production, as the original did', () => {
    const origins = loadConfig({ NODE_ENV: 'test' }).corsOrigins;
    expect(origins[0]).toBe('http://localhost:3000');
    expect(origins.at(-1)).toBe('http://localhost:3010');
    expect(origins).toHaveLength(11);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: SECRET }).corsOrigins).toEqual([]);
  });

  it('turns accounts off with AUTH_ACCOUNTS=false, and reads the attempt limits', () => {
    expect(loadConfig({ AUTH_ACCOUNTS: 'false' }).accounts.enabled).toBe(false);
    expect(loadConfig({ AUTH_ATTEMPTS_PER_EMAIL: '3', AUTH_ATTEMPTS_PER_IP: '0', AUTH_ATTEMPTS_WINDOW_SECONDS: '60' }).accounts).toEqual({
      enabled: true,
      attemptsPerEmail: 3,
      attemptsPerIp: 0,
      windowSeconds: 60,
    });
  });

  it('reads the operations variables, and names a bad one', () => {
    expect(loadConfig({}).observability).toEqual({ metricsToken: undefined, metricsPort: undefined, otlpEndpoint: undefined, serviceName: 'tasks-api' });
    expect(loadConfig({}).shutdownTimeoutMs).toBe(10_000);
    expect(loadConfig({}).auth).toMatchObject({ jwksCacheMaxAgeSeconds: 600, jwksMaxStaleSeconds: 86_400 });
    const set = loadConfig({
      METRICS_TOKEN: 'a-metrics-token-long-enough',
      METRICS_PORT: '9464',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      SHUTDOWN_TIMEOUT_MS: '2500',
      AUTH_JWKS_MAX_STALE_SECONDS: '3600',
    });
    expect(set.observability).toMatchObject({ metricsToken: 'a-metrics-token-long-enough', metricsPort: 9464, otlpEndpoint: 'http://collector:4318' });
    expect(set.shutdownTimeoutMs).toBe(2_500);
    expect(set.auth.jwksMaxStaleSeconds).toBe(3_600);
    expect(loadConfig({ METRICS_PORT: '' }).observability.metricsPort).toBeUndefined();
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(() => loadConfig({ METRICS_PORT: 'abc' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
