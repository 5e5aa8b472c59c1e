// /openapi.json and /docs: the document, and an interactive reference (Scalar) served from this
// server, its script included, so it works offline and with no CDN. Helmet's strict default CSP
// (plugins/security-headers.ts) stays on every other route; the docs page gets one that allows
// what Scalar needs.
import scalar from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';

export const DOCS_PATH = '/docs';
export const OPENAPI_PATH = '/openapi.json';

/** The page's inline start-up script and styles, its own script, and calls back to this origin only. */
export const DOCS_CONTENT_SECURITY_POLICY = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-inline'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    frameAncestors: ["'self'"],
    formAction: ["'self'"],
  },
};

export async function registerApiDocs(app: FastifyInstance, document: object): Promise<void> {
  const body = JSON.stringify(document);
  app.get(OPENAPI_PATH, { config: { rateLimit: false } as never }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(body),
  );

  await app.register(async (docs) => {
    // The security-headers hook reads a route's `config.helmet`; Scalar's routes take no route
    // options of ours, so they get it here as they are added.
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), helmet: { contentSecurityPolicy: DOCS_CONTENT_SECURITY_POLICY } } as never;
    });
    await docs.register(scalar, {
      routePrefix: DOCS_PATH,
      logLevel: 'warn',
      configuration: {
        url: OPENAPI_PATH,
        pageTitle: 'Tasks API reference',
        // No fonts, proxy or telemetry from elsewhere: everything comes from this server.
        withDefaultFonts: false,
        proxyUrl: '',
        telemetry: false,
        hideClientButton: true,
        persistAuth: false,
        authentication: { preferredSecurityScheme: 'Authorization' },
      } as never,
    });
  });
}
