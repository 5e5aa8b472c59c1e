// Migration 0009 on a database that already has tasks puts in a row that keeps writes notifying for an hour (instances
// from before it listen without a row); on a new database no write notifies until an instance registers.
import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationProvider } from './index.ts';

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const database of databases) await database.destroy();
});

async function migratedFrom0008(withChanges: boolean) {
  const database = await createTestDatabase({ migrate: false });
  databases.push(database);
  const migrator = new Migrator({ db: database.db, provider: migrationProvider });
  const before = await migrator.migrateTo('0008_changes_feed');
  if (before.error) throw before.error;
  if (withChanges) {
    await database.db.insertInto('users').values({ id: 'old' }).execute();
    await database.db.insertInto('tasks').values({ user_id: 'old', title: 'written before 0009' }).execute();
  }
  const after = await migrator.migrateTo('0009_notify_only_when_listened');
  if (after.error) throw after.error;
  const { rows } = await sql<{ instance_id: string; minutes: number }>`
    select instance_id, extract(epoch from expires_at - now()) / 60 as minutes from change_listeners`.execute(database.db);
  return { rows, database, migrator };
}

describe('migration 0009', () => {
  it('on a database with tasks, a row keeps writes notifying for an hour', async () => {
    const { rows } = await migratedFrom0008(true);
    expect(rows.map((row) => row.instance_id)).toEqual(['instances before 0009']);
    expect(Number(rows[0]!.minutes)).toBeGreaterThan(59);
    expect(Number(rows[0]!.minutes)).toBeLessThanOrEqual(60);
  });

  it('on a new database, no row: no write notifies until an instance registers', async () => {
    expect((await migratedFrom0008(false)).rows).toEqual([]);
  });

  it('down restores the triggers of 0008 (every write notifies) and drops the table', async () => {
    const { database, migrator } = await migratedFrom0008(false);
    const down = await migrator.migrateDown();
    if (down.error) throw down.error;
    const { rows } = await sql<{ name: string; body: string }>`select proname as name, prosrc as body from pg_proc
      where proname in ('tasks_log_insert', 'tasks_log_update', 'tasks_log_delete') order by proname`.execute(database.db);
    expect(rows.map((row) => row.name)).toEqual(['tasks_log_delete', 'tasks_log_insert', 'tasks_log_update']);
    for (const row of rows) {
      expect(row.body).toContain('pg_notify');
      expect(row.body).not.toContain('change_listeners');
    }
    const { rows: tables } = await sql<{ n: number }>`select count(*)::int as n from pg_tables where tablename = 'change_listeners'`.execute(database.db);
    expect(tables[0]!.n).toBe(0);
  });
});
