// The REST route table: every route /api/tasks… serves, read from the procedures' `openapi` meta, plus
// what the meta cannot say (PUT as a second method for `update`, 201/204 statuses). The handlers, the
// 405/OPTIONS answers and the OpenAPI document all read this one table.
import { appRouter } from '@tasks/api';
import type { OpenApiMeta } from 'trpc-to-openapi';

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The REST surface's prefix; the procedures' meta paths are relative to it. */
export const REST_BASE_PATH = '/api';

export interface RestRoute {
  method: RestMethod;
  /** Relative to REST_BASE_PATH, with `{param}` placeholders, as in the meta. */
  path: `/${string}`;
  /** The tRPC procedure that answers, e.g. `tasks.update`. */
  procedure: string;
  operationId: string;
  summary: string;
  tags: string[];
  pathParams: string[];
  /** 200 unless the route creates (201, with a Location header) or deletes (204, no body). */
  successStatus: 200 | 201 | 204;
  /** For 201: where the created resource lives, from the procedure's result. */
  location?: (result: unknown) => string;
}

/** Routes the meta cannot express: a second HTTP method on an existing procedure. */
const ALIASES: Array<Pick<RestRoute, 'method' | 'procedure' | 'operationId' | 'summary'>> = [
  // The original system's PUT is partial, like PATCH (SEED-CONTRACT.md), so both reach `update`.
  { method: 'PUT', procedure: 'tasks.update', operationId: 'replaceTask', summary: 'Change fields of a task (same as PATCH)' },
];

const SUCCESS: Record<string, Pick<RestRoute, 'successStatus' | 'location'>> = {
  'tasks.create': {
    successStatus: 201,
    location: (result) => `${REST_BASE_PATH}/tasks/${(result as { id: number }).id}`,
  },
  'tasks.delete': { successStatus: 204 },
};

type OpenApi = NonNullable<OpenApiMeta['openapi']>;

function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
}

function buildRoutes(): RestRoute[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: OpenApiMeta } }>;
  const routes: RestRoute[] = [];
  for (const [procedure, { _def }] of Object.entries(procedures)) {
    const openapi: OpenApi | undefined = _def.meta?.openapi;
    if (!openapi || openapi.enabled === false) continue;
    const base = {
      path: openapi.path,
      procedure,
      tags: openapi.tags ?? [],
      pathParams: pathParams(openapi.path),
      successStatus: 200 as const,
      ...SUCCESS[procedure],
    };
    routes.push({ ...base, method: openapi.method, operationId: openapi.operationId ?? procedure, summary: openapi.summary ?? '' });
    for (const alias of ALIASES.filter((a) => a.procedure === procedure)) routes.push({ ...base, ...alias });
  }
  return routes;
}

export const restRoutes: readonly RestRoute[] = buildRoutes();

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
 * The methods a URL path (with the /api prefix, no query) answers; empty when no route has the path.
 * A literal path wins over a template: `/api/tasks/stats` is not `/api/tasks/{id}`.
 */
export function allowedMethods(urlPath: string): RestMethod[] {
  const matching = restRoutes.filter((r) => pattern(r.path).test(urlPath));
  const fewestParams = Math.min(...matching.map((r) => r.pathParams.length));
  return matching.filter((r) => r.pathParams.length === fewestParams).map((r) => r.method);
}

/** The value of an `Allow` header for those methods (HEAD with GET, OPTIONS always). */
export function allowHeader(methods: RestMethod[]): string {
  const all = new Set<string>(methods);
  if (all.has('GET')) all.add('HEAD');
  all.add('OPTIONS');
  return [...all].join(', ');
}

// Literal paths before templates, whatever the procedures' order.
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
