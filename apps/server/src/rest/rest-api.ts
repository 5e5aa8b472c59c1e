// REST at /api: trpc-to-openapi's Fastify plugin over the same procedures as /trpc, in its own
// encapsulated context so that its hooks, error handler and error format stay on /api. Each hook
// below covers a gap of trpc-to-openapi 3.3.0 under Fastify (DESIGN.md, "Known pitfalls").
import { ServiceUnavailable, type Context } from '@tasks/api';
import type { TRPCError } from '@trpc/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fastifyTRPCOpenApiPlugin, type CreateOpenApiFastifyPluginOptions, type OpenApiRouter } from 'trpc-to-openapi';
import { fromBridgeError, fromFastifyError, restError } from './rest-errors.ts';
import { allowedMethods, allowHeader, REST_BASE_PATH } from './rest-routes.ts';
import { createHandlerView, routeForViewPath } from './router-views.ts';

export interface RestApiOptions {
  /** The same context factory the tRPC plugin uses. */
  createContext: (request: FastifyRequest) => Context;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

const urlPath = (request: FastifyRequest) => request.url.split('?', 1)[0] ?? '';

function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send(restError(status, message));
}

/** A HEAD, a method the path lacks, or a path no route has: answered here, before the bridge. */
async function routeCheck(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.method === 'OPTIONS') return;
  const methods = allowedMethods(urlPath(request));
  if (methods.length === 0) {
    sendError(reply, 404, `No route ${request.method} ${urlPath(request)}`);
    return reply;
  }
  // trpc-to-openapi answers a HEAD it has no route for with 204 and no auth check; run it as the
  // GET it stands for instead (Node sends no body for a HEAD response whatever is written).
  if (request.method === 'HEAD' && methods.includes('GET')) {
    request.raw.method = 'GET';
    return;
  }
  if (!methods.includes(request.method as never)) {
    reply.header('allow', allowHeader(methods));
    sendError(reply, 405, `${request.method} is not allowed here; use ${allowHeader(methods)}`);
    return reply;
  }
}

/** trpc-to-openapi refuses a POST/PATCH/PUT without a JSON Content-Type even when there is no body. */
async function emptyBodyIsEmptyObject(request: FastifyRequest): Promise<void> {
  if (BODY_METHODS.has(request.method) && request.body === undefined && request.headers['content-type'] === undefined) {
    request.headers['content-type'] = 'application/json';
    request.body = {};
  }
}

/** Bridge error bodies (they carry tRPC's `data`) become `{ code, message, issues? }`; 204s lose the JSON type. */
async function restBody(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (reply.statusCode === 204) {
    reply.removeHeader('content-type');
    return '';
  }
  if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return payload;
  }
  if (typeof body !== 'object' || body === null || !('data' in body)) return payload;
  return JSON.stringify(fromBridgeError(reply.statusCode, body as Parameters<typeof fromBridgeError>[1]));
}

function errorHeaders(errors: readonly TRPCError[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const error of errors) {
    if (error.code === 'UNAUTHORIZED') headers['www-authenticate'] = 'Bearer';
    if (error.code === 'SERVICE_UNAVAILABLE') {
      headers['retry-after'] = String(error instanceof ServiceUnavailable ? error.retryAfterSeconds : 5);
    }
  }
  return headers;
}

export async function registerRestApi(app: FastifyInstance, options: RestApiOptions): Promise<void> {
  await app.register(async (rest) => {
    // tRPC's node adapter aborts a request's signal on 'close' unless `res.writableEnded` is true;
    // trpc-to-openapi hands it the Fastify reply, which lacks that property, so every finished
    // request was "aborted" and built a DOMException with a stack (2.6 % of CPU under load).
    rest.decorateReply('writableEnded', {
      getter(this: FastifyReply) {
        return this.raw.writableEnded;
      },
    });
    rest.addHook('onRequest', routeCheck);
    rest.addHook('preValidation', emptyBodyIsEmptyObject);
    rest.addHook('onSend', restBody);

    rest.setErrorHandler((error, request, reply) => {
      const { status, body } = fromFastifyError(error as Parameters<typeof fromFastifyError>[0]);
      if (status >= 500) request.log.error({ err: error }, 'REST request failed');
      return reply.code(status).type('application/json').send(body);
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
          if (methods.length === 0) return sendError(reply, 404, `No route ${urlPath(request)}`);
          return reply.code(204).header('allow', allowHeader(methods)).send();
        },
      });
    }

    const bridge: CreateOpenApiFastifyPluginOptions<OpenApiRouter> = {
      basePath: REST_BASE_PATH,
      router: createHandlerView(),
      createContext: ({ req }) => options.createContext(req as unknown as FastifyRequest),
      responseMeta({ paths, data, errors }) {
        if (errors.length) return { headers: errorHeaders(errors) };
        const route = routeForViewPath(paths?.[0]);
        if (route?.successStatus === 201) return { status: 201, headers: { location: route.location?.(data[0]) ?? '' } };
        if (route?.successStatus === 204) return { status: 204 };
        return {};
      },
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') app.log.error({ err: error.cause ?? error, path }, 'REST procedure failed');
      },
    };
    await rest.register(fastifyTRPCOpenApiPlugin, bridge);
  });
}
