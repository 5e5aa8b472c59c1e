// The original FastAPI system's routes, `/api/{user_id}/tasks…` (SEED-CONTRACT.md), as a thin
// adapter over the same tRPC procedures: it maps names, words and errors, and holds no SQL and no rule.
// Registered without fastify-plugin, so its body parser, hook and error handler stay its own.
import { createCaller, taskId, Unauthorized, type Context } from '@tasks/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { compatAnswer, forbidden, invalidTaskId, methodNotAllowed, unauthorized } from './detail-errors.ts';
import { listInput } from './list-query.ts';
import { streamedList } from './list-stream.ts';
import { readBody } from './request-body.ts';
import { CompatCreateTaskBody, CompatStatusBody, CompatUpdateTaskBody, createInput, statusInput, updateInput } from './task-bodies.ts';
import { toCompatTask, type ServerCalendar } from './task-wire.ts';
import { createWording, procedureFailure, updateWording, type InputWording } from './validation-errors.ts';

export interface CompatRoutesOptions {
  /** The tRPC context of a request: the factory /trpc uses, fed the outcome of the authentication hook. */
  createContext(request: FastifyRequest): Context;
  /** The server's calendar (APP_TIME_ZONE): what "today" is for the computed due fields and where a date sorts. */
  timeZone: string;
  /** What "now" is; the same clock the procedures read. */
  clock: () => Date;
}

const TASKS = '/api/:user_id/tasks';
const TASK = `${TASKS}/:id`;
/** `tasks.list`'s largest page: the bare-array list walks the keyset cursor in pages of this size. */
const PAGE_SIZE = 100;

/** The methods each path answers; the others get FastAPI's 405. */
export const COMPAT_ROUTE_METHODS: Record<string, string[]> = {
  [TASKS]: ['GET', 'POST'],
  [TASK]: ['GET', 'PUT', 'DELETE'],
  [`${TASK}/complete`]: ['PATCH'],
  [`${TASK}/incomplete`]: ['PATCH'],
  [`${TASK}/status`]: ['PATCH'],
};

/** 401 before 403 before anything else: a bad token or a foreign path is answered before any parsing. */
function requireOwnPath(request: FastifyRequest): void {
  const { userId, authError } = request.auth;
  if (authError) throw compatAnswer(authError);
  if (userId === null) throw unauthorized(new Unauthorized('Missing bearer token'));
  const pathUser = (request.params as { user_id?: string }).user_id;
  if (pathUser !== userId) throw forbidden("The path's user id is not the token's user");
}

/** `{id}` as the procedures' task id (1 … 2^31-1); anything else is `Invalid task ID`. */
function taskIdParam(request: FastifyRequest): number {
  const raw = (request.params as { id: string }).id;
  const id = /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!taskId.safeParse(id).success) throw invalidTaskId();
  return id;
}

const bodyOf = <T extends z.ZodType>(request: FastifyRequest, schema: T) => readBody(schema, request.body, request.headers['content-type']);

export async function compatRoutes(app: FastifyInstance, options: CompatRoutesOptions): Promise<void> {
  // Raw text: bodies are parsed in the handlers, after authentication, and a JSON content type with
  // an empty body is fine on the routes that take none (the original front end sends one everywhere).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, request, reply) => {
    const answer = compatAnswer(error);
    if (answer.status >= 500) request.log.error({ err: error }, 'compatibility route failed');
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });

  app.addHook('onRequest', async (request) => requireOwnPath(request));

  /** Calls a procedure as the request's user, translating its errors to this surface's. */
  async function call<T>(
    request: FastifyRequest,
    wording: InputWording,
    procedure: (tasks: ReturnType<typeof createCaller>['tasks']) => Promise<T>,
  ): Promise<T> {
    try {
      return await procedure(createCaller(options.createContext(request)).tasks);
    } catch (error) {
      throw procedureFailure(error, wording);
    }
  }

  const calendar = (): ServerCalendar => ({ now: options.clock(), timeZone: options.timeZone });

  app.post(TASKS, async (request, reply) => {
    const input = createInput(bodyOf(request, CompatCreateTaskBody));
    const task = await call(request, createWording, (tasks) => tasks.create(input));
    reply.code(201);
    return toCompatTask(task, calendar());
  });

  // A list of one page (up to PAGE_SIZE tasks, the common case) is answered whole; streamed page by
  // page, the 100-task list paid a web stream and a write per page (p99 4x the raw peer's); longer
  // lists still stream. Written by JSON.stringify, not fast-json-stringify: the wire objects hold only
  // strings, numbers and booleans, and fast-json-stringify's string building allocated about twice
  // the answer's size again, which at 50 connections was garbage collection the raw peer did not pay
  // (bench/README.md, "The bare-array list's garbage").
  app.get(TASKS, async (request, reply) => {
    const input = { ...listInput(request.query), timeZone: options.timeZone };
    const listPage = (cursor: string | null) => call(request, createWording, (tasks) => tasks.list({ ...input, limit: PAGE_SIZE, cursor }));
    // The first page is read before anything is sent, so its failures get their status.
    const first = await listPage(null);
    const now = calendar();
    if (first.nextCursor === null) return first.items.map((task) => toCompatTask(task, now));
    reply.type('application/json; charset=utf-8');
    return reply.send(streamedList(first, listPage, now));
  });

  app.get(TASK, async (request) => {
    const id = taskIdParam(request);
    return toCompatTask(await call(request, createWording, (tasks) => tasks.get({ id })), calendar());
  });

  app.put(TASK, async (request) => {
    const id = taskIdParam(request);
    const input = updateInput(id, bodyOf(request, CompatUpdateTaskBody));
    return toCompatTask(await call(request, updateWording, (tasks) => tasks.update(input)), calendar());
  });

  app.delete(TASK, async (request, reply) => {
    const id = taskIdParam(request);
    await call(request, createWording, (tasks) => tasks.delete({ id }));
    return reply.code(204).send();
  });

  for (const [suffix, completed] of [['complete', true], ['incomplete', false]] as const) {
    app.patch(`${TASK}/${suffix}`, async (request) => {
      const id = taskIdParam(request);
      return toCompatTask(await call(request, updateWording, (tasks) => tasks.complete({ id, completed })), calendar());
    });
  }

  app.patch(`${TASK}/status`, async (request) => {
    const id = taskIdParam(request);
    const completed = statusInput(bodyOf(request, CompatStatusBody));
    return toCompatTask(await call(request, updateWording, (tasks) => tasks.complete({ id, completed })), calendar());
  });

  for (const [url, allowed] of Object.entries(COMPAT_ROUTE_METHODS)) {
    const others = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !allowed.includes(m));
    app.route({
      method: others,
      url,
      handler: async () => {
        throw methodNotAllowed(allowed);
      },
    });
  }
}
