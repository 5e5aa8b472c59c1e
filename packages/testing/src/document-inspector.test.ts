// The document inspector on routes made for it: text and streamed bodies are checked against the
// document, a streamed body passes through as it comes (and is checked when it ends), and a stream
// that fails is recorded as truncated, not as a mismatch.
import { Readable } from 'node:stream';
import { createServer, loadConfig, type TasksServer } from '@tasks/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectDocumentedResponses, type DocumentInspector } from './document-inspector.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

const document = {
  openapi: '3.1.0',
  info: { title: 'inspected', version: '1' },
  paths: {
    '/probe/{kind}': {
      get: {
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'integer' } } } } },
          '204': { description: 'none' },
        },
      },
    },
    '/probe/stats': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['n'] } } } } } } },
  },
};

let database: TestDatabase;
let server: TasksServer;
let inspector: DocumentInspector;
/** What each web stream's source saw: how many chunks were pulled, and whether it was cancelled. */
const sources = new Map<string, { pulled: number; cancelled: boolean }>();

/** A web stream of `[1,2,…,n]` in n+1 pieces that fails instead of sending piece `failAt`. */
function numbers(name: string, n: number, failAt = Number.POSITIVE_INFINITY): ReadableStream<string> {
  const seen = { pulled: 0, cancelled: false };
  sources.set(name, seen);
  return new ReadableStream<string>(
    {
      pull(controller) {
        const i = seen.pulled++;
        if (i === failAt) return controller.error(new Error('page read failed'));
        if (i < n) return controller.enqueue(`${i === 0 ? '[' : ','}${i + 1}`);
        controller.enqueue(n === 0 ? '[]' : ']');
        controller.close();
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await createServer(loadConfig({ NODE_ENV: 'test', AUTH_SECRET: 's'.repeat(32), LOG_LEVEL: 'silent' }), { db: database, logger: false });
  const app = server.app;
  app.get('/probe/text', async (_request, reply) => reply.type('application/json').send('[1,2]'));
  app.get('/probe/wrong', async (_request, reply) => reply.type('application/json').send('["a"]'));
  app.get('/probe/not-json', async (_request, reply) => reply.type('application/json').send('[1,'));
  app.get('/probe/stream', async (_request, reply) => reply.type('application/json').send(numbers('stream', 5)));
  app.get('/probe/stream-wrong', async (_request, reply) => reply.type('application/json').send(ReadableStream.from(['[1,', '"x"]'])));
  app.get('/probe/bytes', async (_request, reply) => reply.type('application/json').send(ReadableStream.from([new TextEncoder().encode('[7]')])));
  app.get('/probe/failing', async (_request, reply) => reply.type('application/json').send(numbers('failing', 5, 3)));
  app.get('/probe/long', async (_request, reply) => reply.type('application/json').send(numbers('long', 1_000)));
  app.get('/probe/node', async (_request, reply) => reply.type('application/json').send(Readable.from(['[3,', '4]'])));
  app.get('/probe/node-failing', async (_request, reply) => {
    const stream = new Readable({ read() {} });
    stream.push('[3,');
    setTimeout(() => stream.destroy(new Error('node stream failed')), 20);
    return reply.type('application/json').send(stream);
  });
  app.get('/probe/empty', async (_request, reply) => reply.code(204).send());
  app.get('/probe/teapot', async (_request, reply) => reply.code(418).type('application/json').send('[]'));
  app.get('/probe/stats', async () => ({ n: 1 }));
  inspector = inspectDocumentedResponses(app);
  inspector.use(document);
  await app.ready();
});
afterAll(async () => {
  await server?.app.close();
  await database?.destroy();
});

const get = (url: string, method: 'GET' | 'HEAD' = 'GET') => server.app.inject({ method, url });

describe('the document inspector', () => {
  it('checks text bodies, and a literal path before a template', async () => {
    const before = inspector.checked();
    expect((await get('/probe/text')).body).toBe('[1,2]');
    expect((await get('/probe/stats')).json()).toEqual({ n: 1 });
    expect(inspector.checked() - before).toBe(2);
    expect(inspector.mismatches).toEqual([]);
  });

  it('reports a body that does not match, one that is not JSON, and an undocumented status', async () => {
    await get('/probe/wrong');
    await get('/probe/not-json');
    await get('/probe/teapot');
    const problems = inspector.mismatches.splice(0).map((m) => `${m.url} ${m.status}: ${m.problem}`);
    expect(problems).toEqual([
      expect.stringMatching(/^\/probe\/wrong 200: .*must be integer/),
      expect.stringMatching(/^\/probe\/not-json 200: body is not JSON/),
      '/probe/teapot 418: status 418 is not documented for GET /probe/{kind}',
    ]);
  });

  it('passes a streamed body through whole and checks it once it ends', async () => {
    expect((await get('/probe/stream')).body).toBe('[1,2,3,4,5]');
    expect((await get('/probe/bytes')).body).toBe('[7]');
    expect((await get('/probe/node')).body).toBe('[3,4]');
    expect(inspector.mismatches).toEqual([]);
    await get('/probe/stream-wrong');
    expect(inspector.mismatches.splice(0)).toEqual([expect.objectContaining({ url: '/probe/stream-wrong', problem: expect.stringMatching(/must be integer/) })]);
  });

  it('records a stream that fails part-way as truncated, with what went out, and not as a mismatch', async () => {
    // Fastify destroys the response; inject() reports that as an error.
    await expect(get('/probe/failing')).rejects.toThrow(/destroyed before completion/);
    expect(inspector.mismatches).toEqual([]);
    expect(inspector.truncated.splice(0)).toEqual([
      { method: 'GET', url: '/probe/failing', status: 200, ending: 'error', bytes: 6, reason: 'page read failed' },
    ]);
  });

  it('records a Node stream that fails part-way as truncated too', async () => {
    await expect(get('/probe/node-failing')).rejects.toThrow(/destroyed before completion/);
    expect(inspector.truncated.splice(0)).toEqual([expect.objectContaining({ url: '/probe/node-failing', ending: 'error', bytes: 3, reason: 'node stream failed' })]);
  });

  it("hands a HEAD's stream back untouched, so Fastify cancels it before a single piece is read", async () => {
    const response = await get('/probe/long', 'HEAD');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(sources.get('long')).toEqual({ pulled: 0, cancelled: true });
    expect(inspector.truncated).toEqual([]);
  });

  it('leaves bodiless answers alone', async () => {
    const before = inspector.checked();
    expect((await get('/probe/empty')).statusCode).toBe(204);
    expect(inspector.checked()).toBe(before);
    expect(inspector.mismatches).toEqual([]);
  });
});
