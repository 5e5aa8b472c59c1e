export { createDb, type DbConfig, type DbHandle } from './create-db.ts';
export { migrateToLatest } from './migrate.ts';
export { migrations, migrationProvider } from './migrations/index.ts';
export { MAX_TASK_ID, TASK_PRIORITIES, type Database, type TaskPriority, type TaskRow } from './schema.ts';
export * from './tasks-queries.ts';
export * from './list-tasks.ts';
export * from './task-stats.ts';
export * from './accounts-queries.ts';
export { seedTasks, type SeedOptions, type SeedResult } from './seed.ts';
