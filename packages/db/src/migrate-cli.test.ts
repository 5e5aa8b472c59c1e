// `pnpm db:migrate` (kysely-ctl) runs the same migrations as server start-up, on either database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase } from '@tasks/testing/database';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDb } from './create-db.ts';
import { migrations } from './migrations/index.ts';

const packageDir = join(import.meta.dirname, '..');

function runMigrateCli(env: Record<string, string>) {
  return spawnSync(join(packageDir, 'node_modules', '.bin', 'kysely'), ['migrate:latest'], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('kysely-ctl migrate:latest', () => {
  it('applies every migration and records it', { timeout: 120_000 }, async () => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    let url: string | undefined;
    let cleanup: () => Promise<void>;
    let dataDir: string | undefined;
    if (adminUrl) {
      const created = await createPostgresDatabase(adminUrl);
      url = created.url;
      cleanup = created.drop;
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'tasks-migrate-'));
      cleanup = async () => rmSync(dataDir!, { recursive: true, force: true });
    }
    try {
      const result = runMigrateCli(url ? { DATABASE_URL: url } : { DATABASE_URL: '', DATA_DIR: dataDir! });
      expect(result.status, result.stderr + result.stdout).toBe(0);

      const { db } = createDb(url ? { url } : { dataDir });
      try {
        const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
        expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
        const tables = await sql<{ n: number }>`
          select count(*)::int as n from information_schema.tables where table_name in ('users', 'tasks')`.execute(db);
        expect(tables.rows[0]?.n).toBe(2);
      } finally {
        await db.destroy();
      }
      // A second run finds nothing to do and succeeds.
      expect(runMigrateCli(url ? { DATABASE_URL: url } : { DATABASE_URL: '', DATA_DIR: dataDir! }).status).toBe(0);
    } finally {
      await cleanup();
    }
  });
});
