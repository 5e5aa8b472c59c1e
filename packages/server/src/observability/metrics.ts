// The Prometheus metrics of one server (prom-client, a registry of its own so that several servers in
// one process, as in the tests, never share series). Created only when METRICS_TOKEN or METRICS_PORT
// is set: with neither, no hook runs and nothing is measured.
import type { DbHandle, StatementObserver } from '@tasks/db';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  requestsInFlight: Gauge;
  tokenCacheLookups: Counter<'result'>;
  rateLimitRejections: Counter;
  /** Open event streams (SSE, subscriptions): call `inc()` when one opens and `dec()` when it closes. */
  eventStreamsOpen: Gauge;
  /** Times every statement by its prepared-statement name, for `db.statements.observer`. */
  statements: StatementObserver;
}

// Seconds; the API answers most requests in milliseconds, and 10 s is past the handler timeout's reach.
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/** `openStreams` reads the instance's open event streams (SSE and subscriptions) at each scrape. */
export function createMetrics(db: DbHandle, openStreams: () => number): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const requestsInFlight = new Gauge({ name: 'http_requests_in_flight', help: 'HTTP requests being answered', registers: [registry] });
  const tokenCacheLookups = new Counter({
    name: 'tasks_auth_token_cache_lookups_total',
    help: 'Valid bearer tokens, by result: hit (found in the verified-token cache) or verified (signature checked)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const rateLimitRejections = new Counter({
    name: 'tasks_rate_limit_rejections_total',
    help: 'Requests refused with 429 by the per-caller rate limit',
    registers: [registry],
  });
  const eventStreamsOpen = new Gauge({
    name: 'tasks_event_streams_open',
    help: 'Event streams open now (GET /api/tasks/events and tasks.onChange subscriptions)',
    registers: [registry],
    collect() {
      this.set(openStreams());
    },
  });
  const queryDuration = new Histogram({
    name: 'tasks_db_query_duration_seconds',
    help: 'Time for a database statement to settle, by prepared-statement name, operation and outcome',
    labelNames: ['statement', 'operation', 'outcome'] as const,
    buckets: QUERY_BUCKETS,
    registers: [registry],
  });
  registerPoolGauges(registry, db);

  const statements: StatementObserver = {
    start(name, operation) {
      const started = performance.now();
      return (error) => {
        queryDuration.observe({ statement: name, operation, outcome: error === undefined ? 'ok' : 'error' }, (performance.now() - started) / 1000);
      };
    },
  };
  return { registry, requestDuration, requestsInFlight, tokenCacheLookups, rateLimitRejections, eventStreamsOpen, statements };
}

function registerPoolGauges(registry: Registry, db: DbHandle): void {
  const { pool } = db;
  // PGlite is one in-process connection that Kysely hands out in turn: one connection, never waited on a pool.
  const read = pool
    ? { total: () => pool.totalCount, idle: () => pool.idleCount, waiting: () => pool.waitingCount }
    : { total: () => 1, idle: () => 1, waiting: () => 0 };
  const gauge = (name: string, help: string, value: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(value());
      },
    });
  gauge('tasks_db_pool_connections', 'Database connections open (idle and in use)', read.total);
  gauge('tasks_db_pool_idle_connections', 'Database connections open and idle', read.idle);
  gauge('tasks_db_pool_waiting_requests', 'Queries waiting for a free database connection', read.waiting);
}
