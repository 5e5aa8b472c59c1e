// One OpenAPI operation per entry of the route table, for zod-openapi's createDocument: the input
// schema split into path parameters, query parameters (a route without a body) or the body, the
// output schema under the route's success status, and the errors the route can answer.
import type { ZodOpenApiOperationObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import { z } from 'zod';
import { enumValues, inputObject, listElement, withoutNull } from './input-fields.ts';
import { errorResponse, errorStatuses } from './openapi-errors.ts';
import { REST_BASE_PATH, type RestRoute } from './rest-routes.ts';
import { commaRule } from './url-input.ts';

/** The bearer scheme's name in the document, which the compatibility fragment's operations name too. */
export const SECURITY_SCHEME = 'Authorization';
export const TASKS_TAG = 'tasks';
export const ACCOUNTS_TAG = 'auth';

/** What the document shows for a path parameter, and what "only the path" is sent with below. */
const PATH_EXAMPLE = 42;

const hasBody = (route: RestRoute) => route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';

/** How a query parameter that takes several values reads them (url-input.ts decides; this says it). */
function listDescription(name: string, field: z.core.$ZodType): string | undefined {
  const [a = 'a', b = 'b'] = (enumValues(listElement(field) ?? field) ?? []).map(String);
  switch (commaRule(field)) {
    case 'split':
      return `Several values: repeat the parameter (\`${name}=${a}&${name}=${b}\`) or join them with commas (\`${name}=${a},${b}\`); both mean the same.`;
    case 'refuse':
      return `Several values: repeat the parameter (\`${name}=${a}&${name}=${b}\`). A comma-joined value (\`${name}=${a},${b}\`) is refused with a 400 naming this parameter, since a value may itself contain a comma.`;
    default:
      return undefined;
  }
}

function queryParameter(name: string, field: z.core.$ZodType): z.core.$ZodType {
  // A URL carries text or nothing: a field that also takes null (`cursor`) is a plain string here,
  // or generated clients send `cursor=null`.
  const schema = withoutNull(field);
  const description = listDescription(name, field);
  return description && schema instanceof z.ZodType ? schema.meta({ param: { description } }) : schema;
}

/** The conditional and idempotency request headers a route reads (write-headers.ts). */
function writeHeaderParameters(route: RestRoute) {
  const headers: Record<string, z.ZodType> = {};
  if (route.etag && route.method === 'GET') {
    headers['If-None-Match'] = z.string().optional().meta({ param: { description: 'The ETag you hold: 304 with no body while it is current', example: '"42-3"' } });
  }
  if (route.ifMatch) {
    headers['If-Match'] = z.string().optional().meta({
      param: { description: 'Apply only while the task is at this ETag (a list: any of them; `*`: any; weak tags never match): otherwise 412 with the current task. Required when the server runs with REQUIRE_IF_MATCH=true (428 without it)', example: '"42-3"' },
    });
  }
  if (route.idempotent) {
    headers['Idempotency-Key'] = z.string().max(255).optional().meta({
      param: { description: 'A unique key per intended change (1–255 printable ASCII characters, e.g. a UUID, optionally as a quoted structured-field string). A retry with the same key and body gets the first answer again for 24 hours, without repeating the change; the same key with another body is 422; a retry while the first is in progress waits briefly, then is 409', example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"' },
    });
  }
  return z.object(headers);
}

function parameters(route: RestRoute): ZodOpenApiOperationObject['requestParams'] {
  const fields = Object.entries(inputObject(route.input).shape);
  const path = fields.filter(([name]) => route.pathParams.includes(name));
  const query = hasBody(route) ? [] : fields.filter(([name]) => !route.pathParams.includes(name));
  return {
    path: z.object(Object.fromEntries(path.map(([name, field]) => [name, field.meta({ param: { example: PATH_EXAMPLE } })]))),
    query: z.object(Object.fromEntries(query.map(([name, field]) => [name, queryParameter(name, field)]))),
    ...(route.idempotent || route.ifMatch || route.etag ? { header: writeHeaderParameters(route) } : {}),
  };
}

function requestBody(route: RestRoute): ZodOpenApiOperationObject['requestBody'] {
  if (!hasBody(route)) return undefined;
  const input = inputObject(route.input);
  const fields = Object.entries(input.shape).filter(([name]) => !route.pathParams.includes(name));
  if (route.pathParams.length && fields.length === 0) return undefined;
  // The body is what the input holds besides the path; unknown fields stay refused where the input refuses them.
  const body = z.object(Object.fromEntries(fields));
  const schema = input.def.catchall ? body.catchall(input.def.catchall) : body;
  // The body may be left out (complete's) when the path alone is a valid input.
  const pathOnly = Object.fromEntries(route.pathParams.map((name) => [name, PATH_EXAMPLE]));
  const examples: unknown = route.input.meta()?.examples;
  const example = Array.isArray(examples) ? examples[0] : undefined;
  return {
    required: !z.safeParse(route.input, pathOnly).success,
    content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
  };
}

const ETAG_HEADER = { ETag: { description: 'Strong entity tag of the task\'s version: send it back in If-Match (writes) or If-None-Match (reads)', schema: { type: 'string', example: '"42-3"' } } } as const;

function successResponse(route: RestRoute): ZodOpenApiResponsesObject {
  const content = { 'application/json': { schema: route.output } };
  const headers = route.etag ? ETAG_HEADER : {};
  if (route.etag && route.method === 'GET') {
    return {
      '200': { description: 'Successful response', headers, content },
      '304': { description: 'Not modified: If-None-Match names the current ETag; no body', headers },
    };
  }
  switch (route.successStatus) {
    case 204:
      return { '204': { description: 'Deleted; no body' } };
    case 201:
      return {
        '201': {
          description: 'Created',
          content,
          ...(route.hasLocation || route.etag
            ? {
                headers: {
                  ...headers,
                  ...(route.hasLocation ? { Location: { description: "The new task's URL", schema: { type: 'string', example: `${REST_BASE_PATH}/tasks/${PATH_EXAMPLE}` } } } : {}),
                },
              }
            : {}),
        },
      };
    case 200:
      return { '200': { description: 'Successful response', ...(route.etag ? { headers } : {}), content } };
  }
}

export function routeOperation(route: RestRoute): ZodOpenApiOperationObject {
  const errors = Object.fromEntries(errorStatuses(route).map((status) => [status, errorResponse(status, route)]));
  const body = requestBody(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    // An empty list: the account routes take no token (they hand one out).
    security: route.access === 'public' ? [] : [{ [SECURITY_SCHEME]: [] }],
    requestParams: parameters(route),
    ...(body ? { requestBody: body } : {}),
    responses: { ...successResponse(route), ...errors },
  };
}
