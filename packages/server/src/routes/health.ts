import { DEFAULT_RETRY_AFTER_SECONDS } from '@tasks/api';
import type { DbHandle } from '@tasks/db';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

export function registerHealthRoutes(app: FastifyInstance, db: DbHandle, draining: () => boolean = () => false): void {
  /** Liveness: the process answers. */
  app.get('/healthz', async () => ({ status: 'ok' }));

  /** The original system's probe path, answered as it did (its deployments and scripts poll it). */
  app.get('/health', async () => ({ status: 'healthy' }));

  /** Readiness: the database answers a query within a second, and the process is not shutting down. */
  app.get('/readyz', async (_request, reply) => {
    if (draining()) {
      return reply.code(503).header('retry-after', String(DEFAULT_RETRY_AFTER_SECONDS)).send({ status: 'draining', database: db.kind });
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sql`select 1`.execute(db.db),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), 1_000);
        }),
      ]);
      return { status: 'ready', database: db.kind };
    } catch {
      return reply.code(503).header('retry-after', String(DEFAULT_RETRY_AFTER_SECONDS)).send({ status: 'unavailable', database: db.kind });
    } finally {
      // A pending timer would keep its promise alive for the full second after every probe.
      clearTimeout(timer);
    }
  });
}
