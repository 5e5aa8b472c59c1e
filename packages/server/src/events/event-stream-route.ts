// GET /api/tasks/events: the caller's task changes as Server-Sent Events for any HTTP client
// (https://html.spec.whatwg.org/multipage/server-sent-events.html). Each event is `event: change`,
// `id:` a sync token, `data:` the task as REST answers it or a tombstone; a reconnect's
// `Last-Event-ID` (or `?lastEventId=`) resumes after it. Comments are heartbeats. A client whose
// unread bytes pass the bound, or that takes nothing for two heartbeats, is cut off, and what was
// buffered for it is freed.
import { streamStart, streamTaskChanges, toClientError, Unauthorized, type Context } from '@tasks/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { restErrorAnswer } from '../rest/rest-errors.ts';
import type { LiveEvents } from './live-events.ts';

export interface EventStreamOptions {
  createContext: (request: FastifyRequest) => Context;
  live: LiveEvents;
  heartbeatMs: number;
  maxBufferBytes: number;
}

function refuse(reply: FastifyReply, error: unknown): FastifyReply {
  const answer = restErrorAnswer(error);
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

export function registerEventStream(app: FastifyInstance, options: EventStreamOptions): void {
  app.get('/api/tasks/events', async (request, reply) => {
    const ctx = options.createContext(request);
    if (ctx.userId === null) return refuse(reply, ctx.authError ?? new Unauthorized('Missing bearer token'));
    const header = request.headers['last-event-id'];
    const query = (request.query as Record<string, unknown>)['lastEventId'];
    const lastEventId = typeof header === 'string' && header !== '' ? header : typeof query === 'string' && query !== '' ? query : undefined;
    const sync = options.live.sync;
    let lease;
    let from;
    try {
      // Fixed before the 200, so a change the client makes once it sees the stream open is in it.
      from = await streamStart(ctx.db, lastEventId, sync);
      lease = options.live.streams.acquire(ctx.userId);
    } catch (error) {
      // The one read of this route outside a procedure: its driver errors get the procedures' mapping
      // (an unreachable database is a 503 with Retry-After, not a 500).
      return refuse(reply, toClientError(error));
    }

    const aborted = new AbortController();
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
      // The connection ends with the stream: a keep-alive socket left idle would hold up the server's close.
      connection: 'close',
    });
    raw.on('close', () => aborted.abort());
    const write = (text: string): boolean => {
      if (raw.destroyed) return false;
      raw.write(text);
      if (raw.writableLength <= options.maxBufferBytes) return true;
      request.log.warn({ buffered: raw.writableLength }, 'event stream reader too slow; closing its stream');
      raw.destroy();
      return false;
    };
    // The next event is read only once the socket has taken the last one (a catch-up after a long
    // gap goes at the client's pace); a client that takes nothing for two heartbeats has stopped.
    const drained = (): Promise<boolean> =>
      new Promise((resolve) => {
        if (raw.destroyed || !raw.writableNeedDrain) return resolve(!raw.destroyed);
        const done = (ok: boolean) => {
          clearTimeout(timer);
          raw.off('drain', onDrain);
          raw.off('close', onClose);
          resolve(ok);
        };
        const onDrain = () => done(true);
        const onClose = () => done(false);
        const timer = setTimeout(() => done(false), 2 * options.heartbeatMs);
        raw.once('drain', onDrain);
        raw.once('close', onClose);
      });
    write(`retry: 2000\n: connected\n\n`);
    const heartbeat = setInterval(() => write(': ping\n\n'), options.heartbeatMs);
    try {
      for await (const event of streamTaskChanges({ db: ctx.db, userId: ctx.userId, sync, from, signal: aborted.signal }, lease)) {
        if (!write(`event: change\nid: ${event.token}\ndata: ${JSON.stringify(event.change)}\n\n`)) break;
        if (!(await drained())) {
          if (!raw.destroyed) request.log.warn({ buffered: raw.writableLength }, 'event stream reader stopped reading; closing its stream');
          raw.destroy();
          break;
        }
      }
    } catch (error) {
      // Shutting down (or the database gone): say why as an event, then end; the client reconnects.
      const { body } = restErrorAnswer(error);
      if (body.code === 'INTERNAL_SERVER_ERROR') request.log.error({ err: error }, 'event stream failed');
      write(`event: error\ndata: ${JSON.stringify(body)}\n\n`);
    } finally {
      clearInterval(heartbeat);
      lease.release();
      if (!raw.destroyed) raw.end();
    }
  });
}
