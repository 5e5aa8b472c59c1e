// /openapi.json and /docs: the document, and an interactive reference (Scalar) served from this
// server, its script included, so it works offline and with no CDN. Helmet's strict default CSP
// (plugins/security-headers.ts) stays on every other route; the docs page gets one that allows
// what Scalar needs.
import Fastify, { type FastifyInstance } from 'fastify';

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

const docsConfiguration = {
  url: OPENAPI_PATH,
  pageTitle: 'Tasks API reference',
  // No fonts, proxy or telemetry from elsewhere: everything comes from this server.
  withDefaultFonts: false,
  proxyUrl: '',
  telemetry: false,
  hideClientButton: true,
  persistAuth: false,
  authentication: { preferredSecurityScheme: 'Authorization' },
};

/** Scalar's own Fastify app, made on the first /docs request. */
async function createDocsApp(): Promise<FastifyInstance> {
  const { default: scalar } = await import('@scalar/fastify-api-reference');
  const docs = Fastify({ logger: false });
  await docs.register(scalar, { routePrefix: DOCS_PATH, configuration: docsConfiguration as never });
  await docs.ready();
  return docs;
}

// Headers of Scalar's answer that describe its own connection, not the content.
const CONNECTION_HEADERS = new Set(['connection', 'content-length', 'date', 'keep-alive', 'transfer-encoding']);

export async function registerApiDocs(app: FastifyInstance, document: object): Promise<void> {
  const body = JSON.stringify(document);
  app.get(OPENAPI_PATH, { config: { rateLimit: false } as never }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(body),
  );

  // Scalar's plugin carries its 4.8 MB browser bundle as a string in its own source: loaded at
  // start-up it held about 20 MB of every instance's heap whether anyone opened /docs or not. So it
  // runs in an app of its own, made on the first request, and /docs requests are handed to it.
  let docsApp: Promise<FastifyInstance> | undefined;
  app.addHook('onClose', async () => {
    if (docsApp) await (await docsApp).close();
  });
  const config = { helmet: { contentSecurityPolicy: DOCS_CONTENT_SECURITY_POLICY } } as never;
  for (const url of [DOCS_PATH, `${DOCS_PATH}/*`]) {
    app.get(url, { config }, async (request, reply) => {
      docsApp ??= createDocsApp().catch((error: unknown) => {
        docsApp = undefined;
        throw error;
      });
      const answer = await (await docsApp).inject({ method: 'GET', url: request.url, headers: request.headers });
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !CONNECTION_HEADERS.has(name)) reply.header(name, value);
      }
      return reply.code(answer.statusCode).send(answer.rawPayload);
    });
  }
}
