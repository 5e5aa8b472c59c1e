// `npm test` after the bootstrap: typecheck, run the vitest projects, and close with the
// "N passed, N failed" line that CI reads (from vitest's JSON report).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const report = join(root, 'test-results', 'vitest.json');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root }).status ?? 1;

console.log('== typecheck (tsc --noEmit)');
const typecheck = run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
if (typecheck !== 0) {
  console.log('typecheck failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

console.log(
  `== vitest: ${process.env.TEST_DATABASE_URL ? 'PGlite and PostgreSQL (TEST_DATABASE_URL)' : 'PGlite (set TEST_DATABASE_URL to add PostgreSQL)'}`,
);
mkdirSync(join(root, 'test-results'), { recursive: true });
rmSync(report, { force: true });
const status = run(bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

let passed = 0;
let failed = 0;
try {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed = result.numPassedTests;
  failed = result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  if (status !== 0 && failed === 0) failed = 1;
} catch {
  failed = Math.max(1, failed);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
