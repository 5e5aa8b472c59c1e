// A request whose handling (authentication, database) has not finished in time is answered 503 with
// Retry-After instead of keeping the client waiting on a stuck dependency. Fastify's own
// `handlerTimeout` does the same with an AbortController per request, aborted (a DOMException with
// a stack) when every request closes: about 1 % of the server's CPU under load (bench/README.md).
import { ServiceUnavailable } from '@tasks/api';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    handlerTimer: NodeJS.Timeout | null;
  }
}

/** Thrown into a request that ran out of time; every surface's error handler answers it as a 503. */
export class HandlerTimeout extends ServiceUnavailable {
  constructor(timeoutMs: number) {
    super(`The request was not handled within ${timeoutMs} ms; retry shortly`);
  }
}

export function registerHandlerTimeout(app: FastifyInstance, timeoutMs: number): void {
  if (timeoutMs <= 0) return;
  app.decorateRequest('handlerTimer', null);
  app.addHook('onRequest', (request, reply, done) => {
    request.handlerTimer = setTimeout(() => {
      // Answered already: a streamed body (the original routes' list) may still be on its way to a
      // slow client, and that is not the handler's time.
      if (reply.sent || reply.raw.headersSent || reply.raw.destroyed) return;
      reply.send(new HandlerTimeout(timeoutMs));
    }, timeoutMs);
    request.handlerTimer.unref();
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.handlerTimer) clearTimeout(request.handlerTimer);
    done();
  });
}
