// One project per database: the whole suite runs on embedded PGlite, and again on the PostgreSQL
// server when TEST_DATABASE_URL is set (each test file makes and drops its own database there).
// TASKS_CHECK_OUTPUT: every procedure's answer is checked against its output schema (output-contract.ts).
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const include = ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/web/src/**/*.test.tsx', 'test/**/*.test.ts'];
const postgresUrl = process.env.TEST_DATABASE_URL;

const projects: TestProjectInlineConfiguration[] = [
  { test: { name: 'pglite', include, env: { TEST_DATABASE_URL: '', TASKS_CHECK_OUTPUT: '1' } } },
];
if (postgresUrl) projects.push({ test: { name: 'postgres', include, env: { TEST_DATABASE_URL: postgresUrl, TASKS_CHECK_OUTPUT: '1' } } });

/** Every package's and app's `src` has its own floor (a glob per directory; its files are summed). */
const sources = ['apps/server', 'apps/web', 'packages/api', 'packages/client', 'packages/db', 'packages/openapi-codegen', 'packages/server', 'packages/testing'];
const LINES_FLOOR = 90;

export default defineConfig({
  test: {
    projects,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep the number of database-backed workers small.
    maxWorkers: 2,
    // Enabled by scripts/run-tests.mjs (`npm test`, CI) over the whole suite; off for a run of a few files.
    coverage: {
      provider: 'v8',
      include: sources.map((source) => `${source}/src/**/*.{ts,tsx}`),
      // Generated code, and the tests and their fixtures, are not what the floors measure; the web
      // app's browser entry runs only in the browser tests (chromium, outside V8 coverage here), and the
      // server's process entry only as a process of its own (shutdown and first-start tests spawn it).
      exclude: ['**/*.generated.ts', '**/*.test.ts', '**/*.test.tsx', '**/fixtures/**', '**/test-fixtures/**', 'apps/web/src/main.tsx', 'apps/server/src/main.ts'],
      reporter: [['json-summary', { file: 'coverage-summary.json' }], ['text', { skipFull: true }]],
      // Enforced when both databases run (CI): on PGlite alone the PostgreSQL-only paths go unrun.
      thresholds: postgresUrl ? Object.fromEntries(sources.map((source) => [`${source}/src/**`, { lines: LINES_FLOOR }])) : {},
    },
  },
});
