// kysely-ctl configuration: `pnpm db:migrate` runs the same migrations the server runs at start-up,
// against DATABASE_URL (or the embedded PGlite in DATA_DIR when it is unset).
import { resolve } from 'node:path';
import { defineConfig } from 'kysely-ctl';
import { createDb } from './src/create-db.ts';
import { migrationProvider } from './src/migrations/index.ts';

// DATA_DIR is relative to the repository root, as for the server (kysely-ctl runs in packages/db).
const dataDir = process.env.DATA_DIR ?? '.data/pglite';
const { db } = createDb({
  url: process.env.DATABASE_URL || undefined,
  dataDir: dataDir === 'memory' ? dataDir : resolve(import.meta.dirname, '../..', dataDir),
});

export default defineConfig({
  kysely: db,
  migrations: { provider: migrationProvider },
});
