// Helmet's security headers, computed once. @fastify/helmet 13 calls helmet(options) on every
// request, rebuilding each middleware and the Content-Security-Policy string: measured on this
// server it halved the throughput of /healthz and doubled the RSS under load (bench/README.md).
// The headers depend only on the options, so they are computed once per options object (the
// global ones, and each route's `config.helmet` override as @fastify/helmet reads it) and set in one call.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** A route's `config.helmet`: options merged over the global ones, or false for no headers. */
export type RouteSecurityHeaders = HelmetOptions | false | undefined;

/** The headers helmet would set for these options (directive values must be strings, not functions). */
export function securityHeadersFor(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions = {}): void {
  const global = securityHeadersFor(options);
  const perRoute = new WeakMap<object, Record<string, string>>();
  app.addHook('onRequest', (request, reply, done) => {
    const routeOptions = (request.routeOptions.config as { helmet?: RouteSecurityHeaders } | undefined)?.helmet;
    if (routeOptions === false) return done();
    let headers = global;
    if (routeOptions) {
      headers = perRoute.get(routeOptions) ?? securityHeadersFor({ ...options, ...routeOptions } as HelmetOptions);
      perRoute.set(routeOptions, headers);
    }
    reply.headers(headers);
    done();
  });
}
