// Traces as a collector receives them: an in-process OTLP/HTTP receiver (plain node:http, decoding
// the exporter's JSON) behind OTEL_EXPORTER_OTLP_ENDPOINT, and the real server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer } from '@tasks/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
}
interface OtlpExport {
  resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
}

let receiver: Server;
let endpoint: string;
const exports: OtlpExport[] = [];
const rawBodies: string[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type']?.startsWith('application/json')) {
        rawBodies.push(body);
        exports.push(JSON.parse(body) as OtlpExport);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const SECRET_TITLE = 'title-that-must-not-be-traced-7f3a';
const SECRET_QUERY = 'query-secret-that-must-not-be-traced-91c2';
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

it('sends one trace per request, with procedure and SQL spans under the request span, and no parameter values', async () => {
  const t = await startTestServer({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } });
  const token = await t.tokenFor('traced-user');
  const auth = { authorization: `Bearer ${token}` };
  let traced = false;
  try {
    const created = await t.fetch('/trpc/tasks.create', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { title: SECRET_TITLE } }),
    });
    expect(created.status).toBe(200);
    expect((await t.fetch(`/api/tasks?q=${SECRET_QUERY}`, { headers: { ...auth, traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } })).status).toBe(200);
    expect((await t.fetch('/trpc/tasks.list', { headers: auth })).status).toBe(200);
    traced = true;
  } finally {
    await t.close(); // flushes the exporter
  }
  expect(traced).toBe(true);

  const spans = exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const requests = spans.filter((s) => s.name === 'request');
  const route = (s: OtlpSpan) => s.attributes?.find((a) => a.key === 'http.route')?.value['stringValue'];
  // The harness reads /openapi.json once at start: four requests, four traces.
  expect(requests.map(route).sort()).toEqual(['/api/tasks', '/openapi.json', '/trpc/:path', '/trpc/:path']);
  expect(new Set(requests.map((s) => s.traceId)).size).toBe(requests.length);

  const rootOf = (span: OtlpSpan): OtlpSpan => {
    let current = span;
    while (current.parentSpanId && byId.has(current.parentSpanId)) current = byId.get(current.parentSpanId)!;
    return current;
  };
  for (const request of requests.filter((s) => route(s) !== '/openapi.json')) {
    const inTrace = spans.filter((s) => s.traceId === request.traceId);
    const sql = inTrace.filter((s) => s.attributes?.some((a) => a.key === 'db.system.name'));
    const procedures = inTrace.filter((s) => s.attributes?.some((a) => a.key === 'rpc.system'));
    expect(sql.length).toBeGreaterThanOrEqual(1);
    expect(procedures.length).toBe(1);
    for (const span of [...sql, ...procedures]) expect(rootOf(span)).toBe(request);
    for (const span of sql) expect(rootOf(byId.get(span.parentSpanId!)!)).toBe(request);
  }
  const list = requests.find((s) => route(s) === '/api/tasks')!;
  expect(list.traceId).toBe(CALLER_TRACE);
  expect(list.parentSpanId).toBe(CALLER_SPAN);

  // Not the title sent, not the query string, not the token: in no attribute, nor anywhere in the export.
  for (const body of rawBodies) {
    expect(body).not.toContain(SECRET_TITLE);
    expect(body).not.toContain(SECRET_QUERY);
    expect(body).not.toContain(token);
  }
});
