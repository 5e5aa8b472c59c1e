// REST at /api/tasks…: one Fastify route per entry of the route table, each calling its tRPC
// procedure through a server-side caller (the same middlewares, validation and errors as /trpc), in
// its own encapsulated context so that its error handler and error format stay on /api. The URL's
// text is turned into the JSON values the shared schemas expect (url-input.ts); the schemas stay strict.
import { createCaller, MethodNotAllowed, PreconditionRequired, taskId, type Context } from '@tasks/api';
import { TRPCError } from '@trpc/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { responseSchema } from './response-schemas.ts';
import { restErrorAnswer, type RestErrorAnswer } from './rest-errors.ts';
import { REST_BASE_PATH, restRoutes, type RestRoute } from './rest-routes.ts';
import { allowedMethods, allowList, fastifyUrl, matchRoute } from './route-matching.ts';
import { decodePathSegment, urlFieldDecoder } from './url-input.ts';
import { idempotencyKey, ifMatchVersions, ifNoneMatchHits, taskEtag } from './write-headers.ts';

export interface RestApiOptions {
  /** The same context factory the tRPC plugin uses. */
  createContext: (request: FastifyRequest) => Context;
  /** Logs a procedure's unexpected failure (the client is told only "Internal server error"). */
  onInternalError?: (error: unknown, route: RestRoute) => void;
  /** REQUIRE_IF_MATCH: a write of one task without If-Match is answered 428. */
  requireIfMatch?: boolean;
}

const urlPath = (request: FastifyRequest) => request.url.split('?', 1)[0] ?? '';

function sendAnswer(reply: FastifyReply, answer: RestErrorAnswer): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** The write headers of a route's request, for the procedure's context (write-headers.ts parses them). */
function writeHeaders(route: RestRoute, request: FastifyRequest, input: { id?: unknown }, requireIfMatch: boolean): Partial<Context> {
  const headers: Partial<Context> = {};
  if (route.idempotent) {
    const key = idempotencyKey(request.headers['idempotency-key']);
    if (key !== undefined) Object.assign(headers, { idempotencyKey: key, successStatus: route.successStatus });
  }
  if (route.ifMatch) {
    const given = header(request, 'if-match');
    if (given === undefined && requireIfMatch) throw new PreconditionRequired();
    // An id the schema refuses is the procedure's 400 to give; the header cannot match it anyway.
    const id = taskId.safeParse(input.id);
    if (given !== undefined) headers.ifMatch = ifMatchVersions(given, id.success ? id.data : 0);
  }
  return headers;
}

/** Query parameters as the procedure's input fields: an empty value is no value. */
function queryFields(query: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) if (value !== '') fields[key] = value;
  return fields;
}

/** Serves one route: builds the input from the URL (and body), calls the procedure, answers. */
function routeServer(route: RestRoute, options: RestApiOptions) {
  const decodeUrlFields = urlFieldDecoder(route.input);
  const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';

  return async (request: FastifyRequest, reply: FastifyReply, params: Record<string, string>): Promise<unknown> => {
    let answer: Awaited<ReturnType<RestRoute['run']>>;
    try {
      // A body route with no body at all (the load driver's `PATCH …/complete`) gets `{}`; path
      // parameters win over body fields of the same name.
      const input = hasBody
        ? { ...(request.body as object | null | undefined), ...decodeUrlFields(params) }
        : decodeUrlFields({ ...queryFields(request.query), ...params });
      const context = options.createContext(request);
      if (route.idempotent || route.ifMatch) Object.assign(context, writeHeaders(route, request, input, options.requireIfMatch ?? false));
      answer = await route.run(createCaller(context), input);
      if (route.etag) {
        const etag = taskEtag(answer.result as { id: number; version: number });
        const notModified = route.method === 'GET' && ifNoneMatchHits(header(request, 'if-none-match'), etag);
        reply.header('etag', etag);
        if (notModified) return reply.code(304).send();
      }
    } catch (caught) {
      // The URL decoder refuses what the schema would have: the same 400 with field issues.
      const error = caught instanceof ZodError ? new TRPCError({ code: 'BAD_REQUEST', cause: caught }) : caught;
      const failure = restErrorAnswer(error);
      if (failure.status >= 500 && failure.body.code === 'INTERNAL_SERVER_ERROR') options.onInternalError?.(error, route);
      return sendAnswer(reply, failure);
    }
    if (route.successStatus === 204) return reply.code(204).send();
    if (route.successStatus === 201) reply.code(201);
    if (answer.location) reply.header('location', answer.location);
    return answer.result;
  };
}

export async function registerRestApi(app: FastifyInstance, options: RestApiOptions): Promise<void> {
  await app.register(async (rest) => {
    // JSON only: Fastify's default text/plain parser would hand a string to the procedures.
    rest.removeContentTypeParser('text/plain');
    // An empty body is no body, whatever its Content-Type says: clients (the original front end
    // among them) send `Content-Type: application/json` on a DELETE or a bodiless PATCH too.
    // Anything else is Fastify's own JSON parser, with its prototype-poisoning checks.
    const parseJson = rest.getDefaultJsonParser(rest.initialConfig.onProtoPoisoning ?? 'error', rest.initialConfig.onConstructorPoisoning ?? 'error');
    rest.removeContentTypeParser('application/json');
    rest.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
      body.length === 0 ? done(null, undefined) : parseJson(request, String(body), done),
    );

    // Errors raised around the handlers (body parsing, the rate limiter, the handler timeout's 503).
    rest.setErrorHandler((error, request, reply) => {
      const answer = restErrorAnswer(error);
      if (answer.status >= 500 && answer.body.code === 'INTERNAL_SERVER_ERROR') request.log.error({ err: error }, 'REST request failed');
      return sendAnswer(reply, answer);
    });

    const servers = new Map(restRoutes.map((route) => [route, routeServer(route, options)]));
    for (const [route, serve] of servers) {
      rest.route({
        method: route.method,
        url: fastifyUrl(route),
        ...(route.successStatus === 204 ? {} : { schema: { response: { [route.successStatus]: responseSchema(route.output) } } }),
        // Fastify has percent-decoded the path parameters already.
        handler: (request, reply) => serve(request, reply, request.params as Record<string, string>),
      });
    }

    // Everything else under /api that no other route takes: the route table's paths in forms
    // Fastify's router does not match (a trailing slash), a method the path lacks (405 with Allow),
    // or a path no route has (404), all in this surface's format. A HEAD runs as the GET it stands for
    // (Fastify adds a HEAD route beside every GET one), auth included, and Node sends no body for it.
    rest.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: `${REST_BASE_PATH}/*`,
      handler: async (request, reply) => {
        const path = urlPath(request);
        const method = request.method === 'HEAD' ? 'GET' : request.method;
        const matched = matchRoute(method, path);
        if (matched) {
          const params = Object.fromEntries(Object.entries(matched.params).map(([k, v]) => [k, decodePathSegment(v)]));
          return servers.get(matched.route)!(request, reply, params);
        }
        const methods = allowedMethods(path);
        if (methods.length === 0) return sendAnswer(reply, restErrorAnswer(new TRPCError({ code: 'NOT_FOUND', message: `No route ${request.method} ${path}` })));
        const allow = allowList(methods);
        return sendAnswer(reply, restErrorAnswer(new MethodNotAllowed(`${request.method} is not allowed here; use ${allow.join(', ')}`, allow)));
      },
    });

    // OPTIONS answers with the path's methods; a CORS preflight gets @fastify/cors's headers too
    // (preflightContinue hands it on to this handler instead of answering it alone).
    for (const url of [`${REST_BASE_PATH}/tasks`, `${REST_BASE_PATH}/tasks/*`]) {
      rest.route({
        method: 'OPTIONS',
        url,
        config: { cors: { strictPreflight: false, preflightContinue: true } } as never,
        handler: async (request, reply) => {
          const methods = allowedMethods(urlPath(request));
          if (methods.length === 0) return sendAnswer(reply, restErrorAnswer(new TRPCError({ code: 'NOT_FOUND', message: `No route ${urlPath(request)}` })));
          return reply.code(204).header('allow', allowList(methods).join(', ')).send();
        },
      });
    }
  });
}
