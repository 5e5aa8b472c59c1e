// createServer(config) → { app, start, stop }: nothing listens at import time, so tests build their own.
import { randomBytes, randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import cors from '@fastify/cors';
import { appRouter, createAuthenticator, createContext, errorHttp, ServiceUnavailable, toClientError, type AppRouter } from '@tasks/api';
import { createDb, migrateToLatest, type DbHandle } from '@tasks/db';
import type { FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { SignJWT } from 'jose';
import { accountRoutes } from './accounts/account-routes.ts';
import { setUpAccounts } from './accounts/account-setup.ts';
import { serverOpenApiDocument } from './api-document.ts';
import { compatRoutes } from './compat/compat-routes.ts';
import type { Config } from './config.ts';
import { createDrain } from './drain.ts';
import { AccessLog } from './observability/access-log.ts';
import { combineObservers } from './observability/combined-observer.ts';
import { DatabaseOutage } from './observability/database-outage.ts';
import { createMetrics } from './observability/metrics.ts';
import { registerMetricsRoutes } from './observability/metrics-routes.ts';
import { routeLabeler } from './observability/route-label.ts';
import { startTracing } from './observability/tracing.ts';
import { fromFrameworkError } from './framework-errors.ts';
import { registerEventStream } from './events/event-stream-route.ts';
import { setUpLiveEvents, type LiveEvents } from './events/live-events.ts';
import { redactQueryToken, registerAuthentication } from './plugins/authentication.ts';
import { registerHandlerTimeout } from './plugins/handler-timeout.ts';
import { registerRateLimit } from './plugins/rate-limit.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { registerApiDocs } from './rest/api-docs.ts';
import { fromFastifyError } from './rest/rest-errors.ts';
import { registerRestApi } from './rest/rest-api.ts';
import { trpcIdempotencyKey } from './trpc-idempotency.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { trpcPlugin } from './trpc-plugin.ts';
import { registerWebApp } from './web-app.ts';

export interface TasksServer {
  app: FastifyInstance;
  db: DbHandle;
  /** Runs migrations (retrying while the database is unreachable) and listens; resolves to the URL. */
  start(): Promise<string>;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  stop(): Promise<void>;
  /**
   * For SIGTERM: /readyz answers 503 at once, requests on open connections are answered (with
   * `Connection: close`), then stop(); connections still open after SHUTDOWN_TIMEOUT_MS are cut.
   */
  drain(): Promise<'drained' | 'timed out'>;
  /** A token for `dev-user`, when the server made its own development secret. */
  devToken?: string | undefined;
  /** The event streams: `live.streams.open` is how many are open (for /metrics). */
  live: LiveEvents;
}

export interface ServerOptions {
  /** An already-open database (tests pass one); otherwise one is opened from the configuration. */
  db?: DbHandle;
  /** Pino options or false; defaults to JSON logs at the configured level. */
  logger?: boolean | object;
  /** The development secret to use when no auth is configured (main keeps one on disk); random otherwise. */
  devSecret?: string;
  /** What "now" is on every surface (overdue, due today, Idempotency-Key expiry; tests fix or move it); the system clock otherwise. */
  clock?: () => Date;
  /** A built web app (apps/web's `dist`) to serve at `/`; none when absent. */
  webRoot?: string;
}

const DEV_USER = 'dev-user';
// What the `route` label and the access log may name under /trpc: the router's own procedures.
const PROCEDURES: ReadonlySet<string> = new Set(Object.keys(appRouter._def.procedures));

/** Request log lines show the event streams' `?access_token=` redacted. */
function redactingQueryTokens(logger: boolean | object): boolean | object {
  if (typeof logger !== 'object') return logger;
  const req = (request: FastifyRequest) => ({
    method: request.method,
    url: redactQueryToken(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  });
  return { ...logger, serializers: { req, ...(logger as { serializers?: object }).serializers } };
}

export async function createServer(config: Config, options: ServerOptions = {}): Promise<TasksServer> {
  const outage = new DatabaseOutage();
  const app = Fastify({
    logger: redactingQueryTokens(options.logger ?? { level: config.logLevel }),
    logController: new AccessLog(routeLabeler(PROCEDURES), outage),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // tRPC batches put every procedure name in the path: /trpc/tasks.get,tasks.list,…
    routerOptions: { maxParamLength: 5_000 },
    bodyLimit: config.bodyLimitBytes,
    // Errors Fastify raises before routing (a malformed %-escape in the URL): the REST error format.
    frameworkErrors: (error, _request, reply) => {
      const { status, body } = fromFastifyError(error);
      void (reply as FastifyReply).code(status).send(body);
    },
    // Receiving a request may take requestTimeout; handling it, handlerTimeoutMs (registerHandlerTimeout).
    requestTimeout: config.requestTimeoutMs,
  });

  const db =
    options.db ??
    createDb({
      ...config.database,
      // The message only: pg's error object carries its client (kilobytes), once per dropped connection.
      onPoolError: (error) => {
        if (!outage.failed(error)) app.log.warn({ reason: error.message }, 'idle database connection failed');
      },
    });

  const metrics = config.observability.metricsToken || config.observability.metricsPort !== undefined ? createMetrics(db, () => live.streams.open) : undefined;
  const { otlpEndpoint, serviceName } = config.observability;
  const tracing = otlpEndpoint ? await startTracing({ endpoint: otlpEndpoint, serviceName }) : undefined;
  if (tracing) {
    await app.register(tracing.plugin);
    app.addHook('onClose', () => tracing.shutdown());
  }
  outage.log = app.log;
  db.statements.observer = combineObservers([outage, metrics?.statements, tracing?.statements]);

  let auth = config.auth;
  let devToken: string | undefined;
  if (!auth.secret && !auth.jwksUrl) {
    // Production refuses this in loadConfig; in development a random secret lets a newcomer call at once.
    auth = { ...auth, secret: options.devSecret ?? randomBytes(32).toString('base64url') };
    devToken = await new SignJWT({ email: 'dev@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(DEV_USER)
      .setIssuedAt()
      .setExpirationTime('30d')
      .sign(new TextEncoder().encode(auth.secret));
  }
  const authenticator = createAuthenticator({
    ...auth,
    jwksCacheMaxAgeMs: auth.jwksCacheMaxAgeSeconds * 1000,
    onKeysOutage: (event) =>
      event.state === 'started'
        ? app.log.warn({ reason: event.reason, staleKeys: event.staleKeys }, 'auth server JWKS cannot be fetched: known keys keep working, new key ids get 503')
        : app.log.info({ failedFetches: event.failedFetches, seconds: event.seconds }, 'auth server JWKS fetched again'),
    ...(metrics ? { onTokenCacheLookup: (hit: boolean) => metrics.tokenCacheLookups.inc({ result: hit ? 'hit' : 'verified' }) } : {}),
  });
  // Signed with the same secret the authenticator checks, so every surface accepts the accounts' tokens.
  const accounts = setUpAccounts(app, config, auth);
  // One context per request for every surface: /trpc, /api/tasks, the original routes and /auth.
  const clock = options.clock ?? (() => new Date());
  const idempotency = { ...config.idempotency, now: clock };
  const traceProcedure = tracing?.traceProcedure;
  const live = setUpLiveEvents(app, db, config, () => clock().getTime());
  const contextFor = (request: FastifyRequest) =>
    createContext(db.db, request.auth, { accounts, clientIp: request.ip, clock, idempotency, traceProcedure, sync: live.sync });
  if (config.env === 'production' && config.corsOrigins.length === 0) {
    app.log.warn('CORS_ORIGINS is not set: no browser origin may call this server; set it to the front end origins, comma-separated');
  }

  // What routes without a surface of their own (health, docs, the web app) answer for an error raised
  // around them: the catalogue's status and headers, in Fastify's own error shape. /api, /auth and
  // /trpc answer in their clients' shapes (trpc-plugin.ts for tRPC's).
  app.setErrorHandler((error, request, reply) => {
    const caught = fromFrameworkError(error);
    const { status, headers } = errorHttp(caught);
    if (status >= 500 && caught.code === 'INTERNAL_SERVER_ERROR') request.log.error({ err: error }, 'request failed');
    const message = caught.code === 'INTERNAL_SERVER_ERROR' ? 'Internal server error' : caught.message;
    return reply.code(status).headers(headers).send({ statusCode: status, code: caught.code, error: STATUS_CODES[status], message });
  });

  const drain = createDrain(app);
  // Set before anything can answer, so every response carries it; a plain callback hook costs no promise.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (drain.draining) reply.header('connection', 'close');
    done();
  });
  if (metrics) registerMetricsRoutes(app, metrics, { token: config.observability.metricsToken, port: config.observability.metricsPort, host: config.host }, PROCEDURES);
  registerHandlerTimeout(app, config.handlerTimeoutMs);
  registerSecurityHeaders(app);
  registerAuthentication(app, authenticator);
  await registerRateLimit(app, config.rateLimit, metrics ? () => metrics.rateLimitRejections.inc() : undefined);

  await app.register(cors, {
    origin: config.corsOrigins,
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Idempotency-Key', 'If-Match', 'If-None-Match'],
    exposedHeaders: ['Location', 'Retry-After', 'X-Request-Id', 'ETag'],
    maxAge: 600,
  });

  registerHealthRoutes(app, db, () => drain.draining);

  await app.register(trpcPlugin<AppRouter>, {
    prefix: '/trpc',
    ...(config.trpcFastQueries ? { fastQueries: { createContext: contextFor, maxBatchSize: config.trpcMaxBatchSize } } : {}),
    trpcOptions: {
      router: appRouter,
      createContext: ({ req }) => {
        const context = contextFor(req);
        context.idempotencyKey = trpcIdempotencyKey(req);
        return context;
      },
      maxBatchSize: config.trpcMaxBatchSize,
      // The headers the catalogue gives each error (a batch carries those of all its errors).
      // A single call's status is the catalogue's too (a sync token past the retention is 410).
      // A subscription's stream ends its connection too (a keep-alive socket would hold up close()).
      responseMeta: ({ errors, info, type }) =>
        errors.length
          ? {
              headers: Object.assign({}, ...errors.map((e) => errorHttp(e).headers)),
              ...(info && !info.isBatchCall && errors[0] ? { status: errorHttp(errors[0]).status } : {}),
            }
          : type === 'subscription'
            ? { headers: { connection: 'close' } }
            : {},
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') app.log.error({ err: error.cause ?? error, path }, 'procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });
  await registerRestApi(app, {
    createContext: contextFor,
    requireIfMatch: config.requireIfMatch,
    onInternalError: (error, route) => app.log.error({ err: error, path: route.procedure }, 'REST procedure failed'),
  });
  registerEventStream(app, { createContext: contextFor, live, heartbeatMs: config.events.heartbeatMs, maxBufferBytes: config.events.maxBufferBytes });
  await app.register(compatRoutes, { createContext: contextFor, timeZone: config.appTimeZone, clock });
  await app.register(accountRoutes, { createContext: contextFor });

  await registerApiDocs(app, serverOpenApiDocument());
  if (options.webRoot) await registerWebApp(app, options.webRoot);

  async function migrateWithRetry(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await migrateToLatest(db.db);
        if (applied.length) app.log.info({ applied }, 'database migrated');
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        // Only an unreachable database is worth waiting for; a failing migration is not.
        const unreachable = toClientError(error instanceof Error && error.cause ? error.cause : error) instanceof ServiceUnavailable;
        if (attempt >= 10 || db.kind === 'pglite' || !unreachable) throw error;
        const delayMs = Math.min(500 * 2 ** (attempt - 1), 10_000);
        app.log.warn({ attempt, delayMs, reason }, 'database not reachable yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  async function stop(): Promise<void> {
    await app.close();
    await db.db.destroy();
  }

  return {
    app,
    db,
    devToken,
    live,
    async start() {
      await migrateWithRetry();
      return app.listen({ port: config.port, host: config.host });
    },
    stop,
    async drain() {
      const outcome = await drain.drain(config.shutdownTimeoutMs, config.shutdownIdleGraceMs);
      await stop();
      return outcome;
    },
  };
}
