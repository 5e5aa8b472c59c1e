// Feeds the request metrics from Fastify's hooks and serves /metrics: on the main port behind
// METRICS_TOKEN (a bearer token of its own, never a user's), and/or on METRICS_PORT, a listener for
// the private network that Prometheus scrapes without a token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.ts';
import { routeLabeler } from './route-label.ts';

export interface MetricsEndpoints {
  /** Opens /metrics on the main port for `Authorization: Bearer <token>`. */
  token: string | undefined;
  /** A second listener that serves /metrics to anyone who can reach it. */
  port: number | undefined;
  host: string;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function registerMetricsRoutes(app: FastifyInstance, metrics: Metrics, endpoints: MetricsEndpoints, procedures: ReadonlySet<string>): void {
  const { requestDuration, requestsInFlight, registry } = metrics;
  const routeOf = routeLabeler(procedures);
  const leave = () => requestsInFlight.dec();

  app.addHook('onRequest', (_request, reply, done) => {
    requestsInFlight.inc();
    // 'close' fires once per response, also when the client went away before it was sent.
    reply.raw.on('close', leave);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    requestDuration.observe({ method: request.method, route: routeOf(request), status_code: reply.statusCode }, reply.elapsedTime / 1000);
    done();
  });

  if (endpoints.token) {
    // Compared as digests, so the comparison takes the same time whatever the length of what was sent.
    const expected = digest(`Bearer ${endpoints.token}`);
    app.get('/metrics', async (request, reply) => {
      const given = request.headers.authorization;
      if (given === undefined || !timingSafeEqual(digest(given), expected)) {
        return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ statusCode: 401, code: 'UNAUTHORIZED', message: 'Send the metrics token' });
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  }

  if (endpoints.port !== undefined) {
    const server = metricsListener(metrics);
    app.addHook('onReady', (done) => {
      server.once('error', done);
      server.listen(endpoints.port, endpoints.host, () => done());
    });
    app.addHook('onClose', (_instance, done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
    app.decorate('metricsServer', server);
  }
}

function metricsListener({ registry }: Metrics): Server {
  return createServer((request, response) => {
    if (request.url?.split('?')[0] !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: try GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(request.method === 'HEAD' ? undefined : text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The METRICS_PORT listener, when there is one (its address tells tests the port). */
    metricsServer?: Server;
  }
}
