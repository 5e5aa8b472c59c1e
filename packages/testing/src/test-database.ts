// A fresh, migrated database per call: in-memory PGlite by default, or a new database on the
// PostgreSQL server named by TEST_DATABASE_URL (created here, dropped by destroy()).
import { randomBytes } from 'node:crypto';
import { createDb, migrateToLatest, type DbHandle } from '@tasks/db';
import pg from 'pg';
import { createTcpProxy, type TcpProxy } from './tcp-proxy.ts';

export interface TestDatabase extends DbHandle {
  /** The database URL when on PostgreSQL (for a second server on the same data). */
  url: string | undefined;
  destroy(): Promise<void>;
}

export function testDatabaseKind(): 'postgres' | 'pglite' {
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Creates an empty PostgreSQL database next to the one `adminUrl` names and returns its URL. */
export async function createPostgresDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tasks_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `drop database if exists "${name}" with (force)`),
  };
}

export async function createTestDatabase(options: { poolMax?: number; migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const handle = createDb({ dataDir: 'memory' });
    if (options.migrate !== false) await migrateToLatest(handle.db);
    return { ...handle, url: undefined, destroy: () => handle.db.destroy() };
  }
  const created = await createPostgresDatabase(adminUrl);
  const handle = createDb({ url: created.url, poolMax: options.poolMax ?? 5 });
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return {
    ...handle,
    url: created.url,
    async destroy() {
      await handle.db.destroy();
      await created.drop();
    },
  };
}

/**
 * A fresh, migrated PostgreSQL database reached through a TCP proxy that the test can cut
 * (`proxy.down()`) and restore (`proxy.up()`), to take the database away from a running server.
 * destroy() closes the pool and the proxy and drops the database.
 */
export async function createProxiedTestDatabase(
  adminUrl: string,
  options: { poolMax?: number; connectionTimeoutMs?: number } = {},
): Promise<{ database: TestDatabase; proxy: TcpProxy }> {
  const created = await createPostgresDatabase(adminUrl);
  const direct = new URL(created.url);
  const proxy = await createTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  direct.host = `127.0.0.1:${proxy.port}`;
  const url = direct.toString();
  const handle = createDb({ url, poolMax: options.poolMax ?? 4, connectionTimeoutMs: options.connectionTimeoutMs ?? 1_000 });
  await migrateToLatest(handle.db);
  return {
    proxy,
    database: {
      ...handle,
      url,
      async destroy() {
        await handle.db.destroy();
        await proxy.close();
        await created.drop();
      },
    },
  };
}
