// Verifies the bearer token once per request, before rate limiting (which keys by user) and before
// any surface's handler; the outcome travels to the tRPC context so nothing verifies twice.
import { authenticateHeader, Unauthorized, type Authenticator, type RequestAuth } from '@tasks/api';
import { TRPCError } from '@trpc/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified user id, or why verification failed; null when no Authorization header was sent. */
    auth: { userId: string } | { error: TRPCError } | null;
  }
}

function countAuthorizationHeaders(request: FastifyRequest): number {
  const raw = request.raw.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]?.toLowerCase() === 'authorization') count++;
  return count;
}

export function registerAuthentication(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header === undefined) return;
    // Node keeps only the first of repeated Authorization headers; an ambiguous request is refused.
    if (countAuthorizationHeaders(request) > 1) {
      request.auth = { error: new Unauthorized('Send exactly one Authorization header') };
      return;
    }
    try {
      request.auth = { userId: await authenticateHeader(authenticator, header) };
    } catch (error) {
      request.auth = { error: error instanceof TRPCError ? error : new Unauthorized('Token is invalid', error) };
    }
  });
}

/** The request's auth outcome in the shape the tRPC context factory takes. */
export function requestAuth(request: FastifyRequest): RequestAuth {
  const auth = request.auth;
  return {
    authorization: request.headers.authorization,
    userId: auth && 'userId' in auth ? auth.userId : null,
    authError: auth && 'error' in auth ? auth.error : undefined,
  };
}
