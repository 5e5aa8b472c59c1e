// The route a request matched, as metrics and access logs name it.
import type { FastifyRequest } from 'fastify';

const TRPC_ROUTE = '/trpc/:path';

/**
 * The `route` label: the route template, so /api/tasks/7 and /api/tasks/8 are one series; for tRPC
 * the procedure (`/trpc/tasks.list`), but only a procedure the router has, so that made-up paths and
 * batches cannot grow the label set without bound.
 */
export function routeLabeler(procedures: ReadonlySet<string>): (request: FastifyRequest) => string {
  return (request) => {
    const template = request.routeOptions.url;
    if (template === undefined) return 'unmatched';
    if (template !== TRPC_ROUTE) return template;
    const path = (request.params as { path?: string }).path ?? '';
    if (procedures.has(path)) return `/trpc/${path}`;
    return path.includes(',') ? '/trpc/(batch)' : '/trpc/(unknown)';
  };
}
