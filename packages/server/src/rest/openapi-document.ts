// The OpenAPI 3.1 document of the REST surface, made by zod-openapi from the route table (the same
// entries the handlers serve), so nothing about a route is said twice. Other surfaces add their own
// paths through `extraPaths`/`extraTags`/`extraComponents` (the original system's routes, under
// their own tag).
import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';
import { ACCOUNTS_TAG, routeOperation, SECURITY_SCHEME, TASKS_TAG } from './openapi-operations.ts';
import { REST_BASE_PATH, restRoutes } from './rest-routes.ts';

type Json = Record<string, any>;

export interface OpenApiDocumentOptions {
  /** Paths to add as they are (full paths, e.g. `/api/{user_id}/tasks`). */
  extraPaths?: Record<string, Json>;
  /** Tags to add after `tasks`, e.g. `{ name: 'original', description: '…' }`. */
  extraTags?: Array<{ name: string; description?: string }>;
  /** Components to merge, by kind: `{ schemas: { LegacyTask: {...} }, responses: {...} }`. */
  extraComponents?: Record<string, Record<string, Json>>;
  /** The server URL the document names; relative by default so it works wherever it is served. */
  serverUrl?: string;
}

function tasksPaths(): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of restRoutes) {
    const item = (paths[`${REST_BASE_PATH}${route.path}`] ??= {});
    item[route.method.toLowerCase() as Lowercase<typeof route.method>] = routeOperation(route);
  }
  return paths;
}

function buildTasksDocument(serverUrl: string): Json {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tasks API',
      description:
        "Tasks of the caller (the bearer token's subject). The same procedures are served to TypeScript apps over tRPC at /trpc.\n\n" +
        'Authenticate with `Authorization: Bearer <JWT>`; in development the server prints a ready-to-use token at start-up.',
      version: '1.0.0',
    },
    servers: [{ url: serverUrl }],
    tags: [
      { name: TASKS_TAG, description: "The caller's tasks (camelCase JSON, ISO 8601 timestamps)" },
      { name: ACCOUNTS_TAG, description: 'Accounts kept by this server: sign up or sign in for a bearer token (HS256, 7 days) that every route accepts' },
    ],
    paths: tasksPaths(),
    components: { securitySchemes: { [SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  }) as Json;
}

/** The whole document: the tasks routes, plus whatever another surface adds. */
export function buildOpenApiDocument(options: OpenApiDocumentOptions = {}): Json {
  const document = buildTasksDocument(options.serverUrl ?? '/');
  for (const [path, item] of Object.entries(options.extraPaths ?? {})) {
    if (document.paths[path]) throw new Error(`extraPaths: ${path} is already in the document`);
    document.paths[path] = item;
  }
  for (const [kind, entries] of Object.entries(options.extraComponents ?? {})) {
    document.components[kind] = { ...document.components[kind], ...entries };
  }
  document.tags.push(...(options.extraTags ?? []));
  return document;
}
