// Draining for a rolling restart: on drain() the server stops accepting connections and /readyz turns
// 503 (balancers stop routing here), while requests on connections already open are still answered,
// each with `Connection: close` so that its client reconnects elsewhere. A socket is closed only once
// it carries no request: right after its response, or when it has stayed idle past a grace period.
import { Server as NetServer } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface Drain {
  readonly draining: boolean;
  /**
   * Resolves once every connection has closed ('drained'), or after `timeoutMs` with the rest cut
   * ('timed out'). A socket idle for `idleGraceMs` is closed between requests.
   */
  drain(timeoutMs: number, idleGraceMs: number): Promise<'drained' | 'timed out'>;
}

/**
 * While `draining`, every response should carry `Connection: close` (RFC 9112 §9.6: the server closes
 * the connection after it); server.ts sets it in its one global onRequest hook, since each hook more
 * costs every request.
 */
export function createDrain(app: FastifyInstance): Drain {
  let draining = false;

  return {
    get draining() {
      return draining;
    },
    // A client busy on a keep-alive socket sends its next request within the grace; one idle for longer
    // is closed between requests (HTTP/1.1 clients retry a request on a keep-alive socket closed under them).
    async drain(timeoutMs, idleGraceMs) {
      draining = true;
      const server = app.server;
      if (!server.listening) return 'drained';
      const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
      // net.Server#close, not http.Server#close: since Node 19 the latter also closes idle keep-alive
      // sockets at once, racing the requests their clients are sending on them (connection resets).
      NetServer.prototype.close.call(server);
      const idleSweep = setInterval(() => server.closeIdleConnections(), Math.max(1, Math.min(idleGraceMs, timeoutMs / 2)));
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        closed.then(() => 'drained' as const),
        new Promise<'timed out'>((resolve) => {
          timer = setTimeout(() => resolve('timed out'), timeoutMs);
        }),
      ]);
      clearInterval(idleSweep);
      clearTimeout(timer);
      if (outcome === 'timed out') server.closeAllConnections();
      return outcome;
    },
  };
}
