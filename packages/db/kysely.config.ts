// kysely-ctl configuration: `pnpm db:migrate` runs the same migrations the server runs at start-up,
// against DATABASE_URL (or the embedded PGlite in DATA_DIR when it is unset).
import { defineConfig } from 'kysely-ctl';
import { createDb } from './src/create-db.ts';
import { migrationProvider } from './src/migrations/index.ts';

const { db } = createDb({ url: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? '../../.data/pglite' });

export default defineConfig({
  kysely: db,
  migrations: { provider: migrationProvider },
});
