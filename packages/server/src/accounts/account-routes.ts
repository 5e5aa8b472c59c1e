// The original front end's accounts, `/auth/signup|signin|signout` (SEED-CONTRACT.md), as a thin
// adapter over the `auth.*` procedures: it reads bodies and words answers the way FastAPI did, and holds
// no SQL and no rule. Registered without fastify-plugin, so its body parser and error handler stay its own.
import { accountsUnavailable, createCaller, type Context } from '@tasks/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { methodNotAllowed } from '../compat/detail-errors.ts';
import { readBody } from '../compat/request-body.ts';
import { accountFailure, SIGNED_OUT, SignInBody, SignUpBody, toWireSession } from './account-answers.ts';

export interface AccountRoutesOptions {
  /** The tRPC context of a request, with the server's accounts and the caller's address. */
  createContext(request: FastifyRequest): Context;
}

const PATHS = ['/auth/signup', '/auth/signin', '/auth/signout'];

export async function accountRoutes(app: FastifyInstance, options: AccountRoutesOptions): Promise<void> {
  // Raw text, parsed in the handlers: a malformed body is FastAPI's 422, and sign-out takes a JSON
  // content type with no body (the original front end sends one on every call).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, request, reply) => {
    const answer = accountFailure(error);
    if (answer.status >= 500 && answer.status !== 503) request.log.error({ err: error }, 'account route failed');
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });

  /** A server that keeps no accounts says where they are before it reads anything. */
  function contextOf(request: FastifyRequest): Context {
    const context = options.createContext(request);
    const unavailable = accountsUnavailable(context.accounts);
    if (unavailable) throw accountFailure(unavailable);
    return context;
  }

  app.post('/auth/signup', async (request, reply) => {
    const context = contextOf(request);
    const body = readBody(SignUpBody, request.body, request.headers['content-type']);
    const session = await createCaller(context).auth.signUp(body);
    return reply.code(201).send(toWireSession(session));
  });

  app.post('/auth/signin', async (request) => {
    const context = contextOf(request);
    const body = readBody(SignInBody, request.body, request.headers['content-type']);
    return toWireSession(await createCaller(context).auth.signIn(body));
  });

  // Tokens are stateless: signing out is the client forgetting its token; the answer confirms it.
  app.post('/auth/signout', async (request) => {
    contextOf(request);
    return SIGNED_OUT;
  });

  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/auth/:action',
    handler: async (request, reply) => {
      if (!PATHS.includes(request.url.split('?')[0]!)) return reply.code(404).send({ detail: 'Not Found' });
      throw methodNotAllowed(['POST']);
    },
  });
}
