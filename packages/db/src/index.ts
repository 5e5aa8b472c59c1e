export { createDb, type DbConfig, type DbHandle } from './create-db.ts';
export { migrateToLatest } from './migrate.ts';
export { migrations, migrationProvider } from './migrations/index.ts';
export type { Database, TaskRow } from './schema.ts';
export * from './tasks-queries.ts';
