// Migrations are listed here rather than discovered on disk, so that the server, kysely-ctl and
// the tests run the same set whatever the working directory or loader.
import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './0001_create_users_and_tasks.ts';
import * as m0002 from './0002_priority_due_tags_search.ts';
import * as m0003 from './0003_one_creation_instant.ts';
import * as m0004 from './0004_user_accounts.ts';
import * as m0005 from './0005_newest_tie_indexes.ts';
import * as m0006 from './0006_date_only_dues.ts';
import * as m0007 from './0007_versions_and_idempotency.ts';
import * as m0008 from './0008_changes_feed.ts';
import * as m0009 from './0009_notify_only_when_listened.ts';

export const migrations: Record<string, Migration> = {
  '0001_create_users_and_tasks': m0001,
  '0002_priority_due_tags_search': m0002,
  '0003_one_creation_instant': m0003,
  '0004_user_accounts': m0004,
  '0005_newest_tie_indexes': m0005,
  '0006_date_only_dues': m0006,
  '0007_versions_and_idempotency': m0007,
  '0008_changes_feed': m0008,
  '0009_notify_only_when_listened': m0009,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
