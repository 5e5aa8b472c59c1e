// OpenTelemetry traces, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (dynamic imports: with it
// unset, not one OpenTelemetry module is read). The Node SDK exports over OTLP/HTTP (JSON);
// @fastify/otel makes the span of each request (a W3C `traceparent` header makes it a child of the
// caller's span), and this module adds a span per tRPC procedure and per SQL statement. Spans carry
// statement names and operations, the route and the path; never parameter values or query strings.
import type { StatementObserver } from '@tasks/db';
import type { FastifyPluginCallback } from 'fastify';

export interface Tracing {
  /** Register before any route: it wraps each route's handler as it is defined. */
  plugin: FastifyPluginCallback;
  statements: StatementObserver;
  /** Runs a procedure inside a span of its own (the `traceProcedure` of the tRPC context). */
  traceProcedure<R extends { ok: boolean }>(path: string, type: string, run: () => Promise<R>): Promise<R>;
  /** Exports what is buffered, then unregisters the SDK. */
  shutdown(): Promise<void>;
}

export async function startTracing(options: { endpoint: string; serviceName: string }): Promise<Tracing> {
  const [{ NodeSDK }, { OTLPTraceExporter }, { FastifyOtelInstrumentation }, api] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@fastify/otel'),
    import('@opentelemetry/api'),
  ]);
  const { context, propagation, SpanKind, SpanStatusCode, trace } = api;
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    // The endpoint is the collector's base URL, as OTEL_EXPORTER_OTLP_ENDPOINT is by the spec.
    traceExporter: new OTLPTraceExporter({ url: new URL('v1/traces', options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`).href }),
    instrumentations: [],
  });
  sdk.start();
  const fastifyOtel = new FastifyOtelInstrumentation({
    // Hook spans (a dozen per request) say little here; the request, handler, procedure and SQL spans do.
    instrumentHooks: false,
    // @fastify/otel records the URL with its query string: keep the path only.
    requestHook: (span, request) => span.setAttribute('url.path', request.url.split('?')[0] ?? ''),
  });
  const tracer = trace.getTracer('@tasks/server');

  return {
    plugin: fastifyOtel.plugin() as FastifyPluginCallback,
    statements: {
      start(name, operation) {
        const span = tracer.startSpan(
          `${operation} ${name}`,
          { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.operation.name': operation, 'db.query.summary': `${operation} ${name}` } },
          context.active(),
        );
        return (error) => {
          if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error && 'code' in error ? `SQLSTATE ${String(error.code)}` : 'failed' });
          span.end();
        };
      },
    },
    traceProcedure(path, type, run) {
      return tracer.startActiveSpan(path, { attributes: { 'rpc.system': 'trpc', 'rpc.method': path, 'trpc.type': type } }, async (span) => {
        try {
          const result = await run();
          if (!result.ok) span.setStatus({ code: SpanStatusCode.ERROR });
          return result;
        } finally {
          span.end();
        }
      });
    },
    async shutdown() {
      await sdk.shutdown();
      // The API's registrations are process-wide: leave none behind for a next server in this process.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
