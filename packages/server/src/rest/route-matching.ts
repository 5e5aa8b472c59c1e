// Which route of the table a method and URL path reach, and which methods a path has (for 405's and
// OPTIONS' `Allow`), for the URLs Fastify's router does not match itself (a trailing slash, a
// method the path lacks).
import { REST_BASE_PATH, restRoutes, type RestMethod, type RestRoute } from './rest-routes.ts';

const patterns = new Map<string, RegExp>();
function pattern(path: string): RegExp {
  let re = patterns.get(path);
  if (!re) {
    re = new RegExp(`^${REST_BASE_PATH}${path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}/?$`);
    patterns.set(path, re);
  }
  return re;
}

/**
 * The methods a URL path (with the /api prefix, no query) answers, in the table's order; empty when
 * no route has the path. A literal path wins over a template: `/api/tasks/stats` is not `/api/tasks/{id}`.
 */
export function allowedMethods(urlPath: string): RestMethod[] {
  const matching = restRoutes.filter((r) => pattern(r.path).test(urlPath));
  const fewestParams = Math.min(...matching.map((r) => r.pathParams.length));
  return matching.filter((r) => r.pathParams.length === fewestParams).map((r) => r.method);
}

/** The methods of an `Allow` header for those methods (HEAD with GET, OPTIONS always). */
export function allowList(methods: RestMethod[]): string[] {
  const all = new Set<string>(methods);
  if (all.has('GET')) all.add('HEAD');
  all.add('OPTIONS');
  return [...all];
}

// Literal paths before templates, whatever the table's order.
const byPrecedence = [...restRoutes].sort((a, b) => a.pathParams.length - b.pathParams.length);

/** The route a method and URL path (with the /api prefix, no query) reach, with its path parameters as sent (not decoded). */
export function matchRoute(method: string, urlPath: string): { route: RestRoute; params: Record<string, string> } | undefined {
  for (const route of byPrecedence) {
    if (route.method !== method) continue;
    const match = pattern(route.path).exec(urlPath);
    if (match) return { route, params: { ...match.groups } };
  }
  return undefined;
}

/** The route's URL in Fastify's syntax: `/api/tasks/:id`. */
export function fastifyUrl(route: RestRoute): string {
  return `${REST_BASE_PATH}${route.path.replace(/\{(\w+)\}/g, ':$1')}`;
}
