// /metrics as Prometheus reads it: parsed by a Prometheus text-format parser, over the real server.
import type { AddressInfo } from 'node:net';
import { parsePrometheusText, sampleSum, startTestServer, type PrometheusFamily, type TestServer } from '@tasks/testing';
import { afterEach, describe, expect, it } from 'vitest';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Families = Map<string, PrometheusFamily>;

async function scrape(server: TestServer): Promise<Families> {
  const response = await server.fetch('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

function family(families: Families, name: string): PrometheusFamily {
  const found = families.get(name);
  if (!found) throw new Error(`no ${name} in /metrics`);
  return found;
}

const requestCount = (families: Families, labels: Record<string, string>) => sampleSum(families, 'http_request_duration_seconds_count', labels);
const value = (families: Families, name: string, labels: Record<string, string> = {}) => sampleSum(families, name, labels);

describe('/metrics', () => {
  it('is not served without METRICS_TOKEN or METRICS_PORT', async () => {
    t = await startTestServer({ listen: false });
    expect((await t.fetch('/metrics')).status).toBe(404);
  });

  it('is refused without its token, and with a user token', async () => {
    t = await startTestServer({ listen: false, env: { METRICS_TOKEN } });
    const bare = await t.fetch('/metrics');
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await t.fetch('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(401);
    expect((await t.fetchAs('someone', '/metrics')).status).toBe(401);
  });

  it('counts exactly the requests made, by route template, method and status', async () => {
    t = await startTestServer({ listen: false, env: { METRICS_TOKEN } });
    const list = { method: 'GET', route: '/trpc/tasks.list', status_code: '200' };
    const restGet = { method: 'GET', route: '/api/tasks/:id', status_code: '404' };
    const before = await scrape(t);

    for (let i = 0; i < 3; i++) expect((await t.fetchAs('metrics-user', '/trpc/tasks.list')).status).toBe(200);
    for (const id of [7, 8]) expect((await t.fetchAs('metrics-user', `/api/tasks/${id}`)).status).toBe(404);
    expect((await t.fetchAs('metrics-user', '/trpc/no.such.procedure')).status).toBe(404);
    expect((await t.fetch('/no/such/route?secret=1')).status).toBe(404);
    const after = await scrape(t);

    expect(requestCount(after, list) - requestCount(before, list)).toBe(3);
    expect(requestCount(after, restGet) - requestCount(before, restGet)).toBe(2);
    expect(requestCount(after, { route: '/trpc/(unknown)' }) - requestCount(before, { route: '/trpc/(unknown)' })).toBe(1);
    expect(requestCount(after, { route: 'unmatched' }) - requestCount(before, { route: 'unmatched' })).toBe(1);
    // Paths never become labels: only templates, procedures and the two catch-alls.
    const routes = new Set(family(after, 'http_request_duration_seconds').samples.map((m) => m.labels.route));
    // (The harness reads /openapi.json once at start.)
    for (const route of routes) expect(route).toMatch(/^(\/openapi\.json|\/metrics|\/api\/tasks\/:id|\/trpc\/tasks\.list|\/trpc\/\(unknown\)|unmatched)$/);
  });

  it('reports statements by name, the pool, token-cache lookups, in-flight requests and runtime metrics', async () => {
    t = await startTestServer({ listen: false, env: { METRICS_TOKEN } });
    const token = await t.tokenFor('cached-user');
    for (let i = 0; i < 2; i++) {
      const response = await t.fetch('/trpc/tasks.create', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ json: { title: `t${i}` } }),
      });
      expect(response.status).toBe(200);
    }
    const families = await scrape(t);

    expect(family(families, 'tasks_db_query_duration_seconds').type).toBe('histogram');
    // tasks.create is one statement (a CTE): two creates, one series counting two.
    const counts = family(families, 'tasks_db_query_duration_seconds').samples.filter((m) => m.name.endsWith('_count'));
    expect(counts.some((m) => m.labels.operation === 'with' && m.labels.outcome === 'ok' && m.value === 2)).toBe(true);
    for (const m of family(families, 'tasks_db_query_duration_seconds').samples) expect(m.labels.statement).toMatch(/^(tasks_[0-9a-f]{32}|unnamed)$/);

    expect(value(families, 'tasks_db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(value(families, 'tasks_db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
    expect(value(families, 'tasks_db_pool_waiting_requests')).toBe(0);

    // One signature check, then the cache; the metrics token itself is no lookup.
    expect(value(families, 'tasks_auth_token_cache_lookups_total', { result: 'verified' })).toBe(1);
    expect(value(families, 'tasks_auth_token_cache_lookups_total', { result: 'hit' })).toBe(1);

    // The scrape itself is the one request in flight while the registry is read.
    expect(value(families, 'http_requests_in_flight')).toBe(1);
    expect(value(families, 'tasks_event_streams_open')).toBe(0);
    // The seats the event routes take from the instance's stream registry: two opened, one ended.
    const seats = [t.server.live.streams.acquire('metrics-user'), t.server.live.streams.acquire('metrics-user')];
    seats[0]!.release();
    expect(value(await scrape(t), 'tasks_event_streams_open')).toBe(1);
    seats[1]!.release();
    expect(value(families, 'tasks_rate_limit_rejections_total')).toBe(0);
    expect(family(families, 'process_cpu_seconds_total').type).toBe('counter');
    expect(family(families, 'nodejs_eventloop_lag_seconds').type).toBe('gauge');
  });

  it('counts rate-limit rejections', async () => {
    t = await startTestServer({ listen: false, env: { METRICS_TOKEN, RATE_LIMIT_MAX: '2' } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.fetchAs('limited', '/trpc/tasks.list')).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(value(await scrape(t), 'tasks_rate_limit_rejections_total')).toBe(2);
  });

  it('is served without a token on METRICS_PORT, and nowhere on the main port', async () => {
    t = await startTestServer({ env: { METRICS_PORT: '0' } });
    const { port } = t.server.app.metricsServer!.address() as AddressInfo;
    expect((await t.fetch('/metrics')).status).toBe(404);
    expect((await t.fetchAs('port-user', '/trpc/tasks.list')).status).toBe(200);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    const families = parsePrometheusText(await response.text());
    expect(requestCount(families, { route: '/trpc/tasks.list', status_code: '200' })).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  });
});
