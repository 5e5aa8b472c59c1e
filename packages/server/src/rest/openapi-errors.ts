// The error responses the document lists under each /api/tasks operation: which statuses a route can
// answer besides its success, and for each its description, headers and an example of the one error body.
import type { ZodOpenApiResponseObject } from 'zod-openapi';
import { RestError } from './rest-errors.ts';
import type { RestRoute } from './rest-routes.ts';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: the issues name each field',
  401: 'Missing or invalid bearer token (with `WWW-Authenticate: Bearer`)',
  404: "No such task for this user (another user's task is reported the same way)",
  409: 'Conflicts with what exists',
  413: 'Request body over the size limit',
  415: 'Request body is not JSON',
  429: 'Too many requests (with `Retry-After`)',
  503: 'The database is unreachable; retry later (with `Retry-After`)',
};

const ERROR_EXAMPLES: Record<number, RestError> = {
  400: { code: 'BAD_REQUEST', message: 'title: Title is required', issues: [{ path: 'title', message: 'Title is required' }] },
  401: { code: 'UNAUTHORIZED', message: 'Missing bearer token' },
  404: { code: 'NOT_FOUND', message: 'Task not found' },
  409: { code: 'CONFLICT', message: 'The resource already exists' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json' },
  429: { code: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded: 600 requests per minute; retry in 1 minute' },
  503: { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; retry shortly' },
};

const RETRY_AFTER = { schema: { type: 'integer' }, description: 'Seconds to wait' } as const;
const ERROR_HEADERS: Record<number, ZodOpenApiResponseObject['headers']> = {
  401: { 'WWW-Authenticate': { schema: { type: 'string', const: 'Bearer' } } },
  429: { 'Retry-After': RETRY_AFTER },
  503: { 'Retry-After': RETRY_AFTER },
};

/**
 * The errors a route can answer, besides its success: every route's (a public one has no 401), plus
 * the statuses its own `errors` add. (A 405 belongs to a method a path lacks, so it has no operation to
 * sit under; its body is the same error schema.)
 */
export function errorStatuses(route: RestRoute): number[] {
  const statuses = new Set([400]);
  if (route.access === 'bearer') statuses.add(401);
  if (route.pathParams.length) statuses.add(404);
  if (route.method !== 'GET' && route.method !== 'DELETE') [413, 415].forEach((status) => statuses.add(status));
  [429, 503].forEach((status) => statuses.add(status));
  for (const status of Object.keys(route.errors ?? {})) statuses.add(Number(status));
  return [...statuses].sort((a, b) => a - b);
}

export function errorResponse(status: number, route?: RestRoute): ZodOpenApiResponseObject {
  const headers = ERROR_HEADERS[status];
  const own = route?.errors?.[status];
  const example = own ? { code: ERROR_EXAMPLES[status]?.code ?? 'BAD_REQUEST', message: own.message } : ERROR_EXAMPLES[status];
  return {
    description: own?.description ?? ERROR_DESCRIPTIONS[status] ?? 'Error',
    ...(headers ? { headers } : {}),
    content: { 'application/json': { schema: RestError, example } },
  };
}
