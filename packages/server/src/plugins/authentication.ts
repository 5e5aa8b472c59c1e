// Verifies the bearer token once per request, before rate limiting (which keys by user) and before
// any surface's handler; the outcome is the procedures' own `CallerAuth`, so nothing verifies twice.
import { authenticateHeader, Unauthorized, type Authenticator, type CallerAuth } from '@tasks/api';
import { TRPCError } from '@trpc/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    auth: CallerAuth;
  }
}

const ANONYMOUS: CallerAuth = Object.freeze({ userId: null });

/**
 * The event streams, whose browser clients (EventSource) cannot send headers: there, and only there,
 * the token may come as `?access_token=` (RFC 6750 §2.3). Logs show these URLs redacted (server.ts).
 */
export const QUERY_TOKEN_PATHS: ReadonlySet<string> = new Set(['/api/tasks/events', '/trpc/tasks.onChange']);

/** Whether a request URL is one of the event streams', without splitting every request's URL. */
export function isQueryTokenPath(url: string): boolean {
  if (!url.startsWith('/api/tasks/events') && !url.startsWith('/trpc/tasks.onChange')) return false;
  const query = url.indexOf('?');
  return QUERY_TOKEN_PATHS.has(query === -1 ? url : url.slice(0, query));
}

function queryToken(request: FastifyRequest): string | undefined {
  const { url } = request;
  const query = url.indexOf('?');
  if (query === -1 || !isQueryTokenPath(url)) return undefined;
  return new URLSearchParams(url.slice(query + 1)).get('access_token') ?? undefined;
}

/** A URL as logs may show it: an `access_token` query parameter's value replaced. */
export function redactQueryToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&]*/g, '$1[redacted]');
}

function countAuthorizationHeaders(request: FastifyRequest): number {
  const raw = request.raw.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]?.toLowerCase() === 'authorization') count++;
  return count;
}

export function registerAuthentication(app: FastifyInstance, authenticator: Authenticator): void {
  // Fastify refuses object defaults for decorations (they would be shared); every request gets its own below.
  app.decorateRequest('auth', null as unknown as CallerAuth);
  app.addHook('onRequest', async (request) => {
    const fromQuery = request.headers.authorization === undefined ? queryToken(request) : undefined;
    const header = fromQuery === undefined ? request.headers.authorization : `Bearer ${fromQuery}`;
    if (header === undefined) {
      request.auth = ANONYMOUS;
      return;
    }
    // Node keeps only the first of repeated Authorization headers; an ambiguous request is refused.
    if (countAuthorizationHeaders(request) > 1) {
      request.auth = { userId: null, authError: new Unauthorized('Send exactly one Authorization header') };
      return;
    }
    try {
      request.auth = { userId: await authenticateHeader(authenticator, header) };
    } catch (error) {
      request.auth = { userId: null, authError: error instanceof TRPCError ? error : new Unauthorized('Token is invalid', error) };
    }
  });
}
