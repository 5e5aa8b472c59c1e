// One project per database: the whole suite runs on embedded PGlite, and again on the PostgreSQL
// server when TEST_DATABASE_URL is set (each test file makes and drops its own database there).
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const include = ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'];
const postgresUrl = process.env.TEST_DATABASE_URL;

const projects: TestProjectInlineConfiguration[] = [
  { test: { name: 'pglite', include, env: { TEST_DATABASE_URL: '' } } },
];
if (postgresUrl) projects.push({ test: { name: 'postgres', include, env: { TEST_DATABASE_URL: postgresUrl } } });

export default defineConfig({
  test: {
    projects,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep the number of database-backed workers small.
    maxWorkers: 2,
  },
});
