// One log line per request, in place of Fastify's pair ("incoming request", "request completed"):
// method, route template, path, status, duration, request id (the logger's reqId) and user id.
// Never headers, bodies or the query string, which is where clients put secrets (`?token=`).
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { DatabaseOutage } from './database-outage.ts';

// The levels at which pino writes `info` lines (Fastify's silent stand-in logger has no level).
const WRITES_INFO: ReadonlySet<string | undefined> = new Set(['trace', 'debug', 'info']);

export class AccessLog extends LogController {
  readonly #routeOf: (request: FastifyRequest) => string;
  readonly #outage: DatabaseOutage;

  constructor(routeOf: (request: FastifyRequest) => string, outage: DatabaseOutage) {
    super();
    this.#routeOf = routeOf;
    this.#outage = outage;
  }

  override incomingRequest(): void {}

  // The access line says `route: "unmatched"`; Fastify's own line would repeat the query string.
  override routeNotFound(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode === 503) this.#outage.countFailedRequest();
    // At LOG_LEVEL=warn (production's usual), no line object per request that nobody writes.
    if (!error && !WRITES_INFO.has(reply.log.level)) return;
    const line = {
      method: request.method,
      route: this.#routeOf(request),
      path: pathOf(request.url),
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      userId: request.auth?.userId ?? undefined,
    };
    // A response cut short by a socket error: its error's kind, not the error object (no stack per request).
    if (error) reply.log.warn({ ...line, error: error.message }, 'request');
    else reply.log.info(line, 'request');
  }
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
