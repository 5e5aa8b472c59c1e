// The built web app (apps/web's `dist`) at `/`: its files, and its index.html for any other page a
// browser navigates to (the app routes on the client). The API's own paths never fall back to the
// page: a request there that no route answers keeps Fastify's JSON 404.
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HelmetOptions } from 'helmet';

/** Paths the server answers itself; under them a miss is the API's 404, never the app's page. */
const SERVER_PATHS = /^\/(?:api|trpc|auth|docs|metrics|health[^/]*|readyz|openapi\.json)(?:[/?.]|$)/;

/**
 * The app's policy: its own scripts, styles and calls only. Vite emits external module scripts and
 * stylesheets, so neither needs 'unsafe-inline'. No `upgrade-insecure-requests`: the app is served
 * over plain HTTP on loopback, where upgrading its asset URLs would break it.
 */
export const WEB_APP_CONTENT_SECURITY_POLICY: HelmetOptions['contentSecurityPolicy'] = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
  },
};

/** A page load (not a script's fetch, not an asset): the fallback page is what it wants. */
function isNavigation(request: FastifyRequest, path: string): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !/\.[a-z0-9]+$/i.test(path);
}

export async function registerWebApp(app: FastifyInstance, root: string): Promise<void> {
  // serve: false: only reply.sendFile, so one route below decides between a file, the page and a 404.
  await app.register(fastifyStatic, { root, serve: false });
  const config = { helmet: { contentSecurityPolicy: WEB_APP_CONTENT_SECURITY_POLICY } } as never;
  app.get('/*', { config }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (SERVER_PATHS.test(path)) return reply.callNotFound();
    // Vite names every asset by its content hash: a changed file is a new URL, so the old one never goes stale.
    if (path.startsWith('/assets/')) return reply.sendFile(path, { maxAge: '365d', immutable: true });
    if (path === '/' || isNavigation(request, path)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    }
    return reply.sendFile(path);
  });
}
