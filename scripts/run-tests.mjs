// `npm test` after the bootstrap: typecheck, run the vitest projects with coverage, and close with the
// "N passed, N failed, N skipped" line that CI reads (from vitest's JSON report). A skipped test fails
// the run unless test/skip-allowlist.json names it with its reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const results = join(root, 'test-results');
const report = join(results, 'vitest.json');
const skippedReport = join(results, 'skipped-tests.json');
const coverageDir = join(results, 'coverage');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root }).status ?? 1;
const started = Date.now();

console.log('== typecheck (tsc --noEmit)');
// apps/web has its own tsconfig (DOM, JSX) beside the Node one.
const typecheck = run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']) || run(bin('tsc'), ['--noEmit', '-p', 'apps/web/tsconfig.json']);
if (typecheck !== 0) {
  console.log('typecheck failed');
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

console.log(
  `== vitest: ${process.env.TEST_DATABASE_URL ? 'PGlite and PostgreSQL (TEST_DATABASE_URL)' : 'PGlite (set TEST_DATABASE_URL to add PostgreSQL)'}`,
);
mkdirSync(results, { recursive: true });
for (const file of [report, skippedReport]) rmSync(file, { force: true });
// Coverage runs only over the whole suite: a run of a few files would miss every package's floor.
const someFiles = process.argv.slice(2).some((arg) => !arg.startsWith('-'));
const status = run(bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  '--reporter=./scripts/skipped-tests-reporter.mjs',
  ...(someFiles ? [] : ['--coverage.enabled', `--coverage.reportsDirectory=${coverageDir}`]),
  ...process.argv.slice(2),
]);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed = result.numPassedTests;
  failed = result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
  skipped = result.numPendingTests + result.numTodoTests;
  if (status !== 0 && failed === 0) failed = 1;
} catch {
  failed = Math.max(1, failed);
}

if (!someFiles) printCoverageByPackage();

// Every skip must be on the allowlist; an unlisted one counts as a failure, not as a skip.
const { allowed } = JSON.parse(readFileSync(join(root, 'test', 'skip-allowlist.json'), 'utf8'));
const skips = existsSync(skippedReport) ? JSON.parse(readFileSync(skippedReport, 'utf8')) : [];
if (skips.length !== skipped && failed === 0) {
  console.log(`the JSON report counts ${skipped} skipped tests, the skip reporter ${skips.length}`);
  failed = 1;
}
const reasons = new Map();
const unlisted = [];
for (const skip of skips) {
  const entry = allowed.find(
    (rule) =>
      (!rule.project || rule.project === skip.project) &&
      (!rule.file || rule.file === skip.file) &&
      skip.name.includes(rule.name) &&
      !(rule.unlessPathExists && existsSync(rule.unlessPathExists)),
  );
  if (entry) reasons.set(entry.reason, (reasons.get(entry.reason) ?? 0) + 1);
  else unlisted.push(skip);
}
for (const [reason, count] of reasons) console.log(`skipped ${count} (allowed): ${reason}`);
for (const skip of unlisted) console.log(`skipped without a reason in test/skip-allowlist.json: [${skip.project}] ${skip.file} > ${skip.name}`);
failed += unlisted.length;
skipped -= unlisted.length;

console.log(`vitest took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);

/** Lines covered per package and app `src`, from the coverage summary vitest wrote. */
function printCoverageByPackage() {
  const summaryFile = join(coverageDir, 'coverage-summary.json');
  if (!existsSync(summaryFile)) return console.log('no coverage summary was written');
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  const packages = new Map();
  for (const [file, { lines }] of Object.entries(summary)) {
    const match = /(?:^|\/)((?:packages|apps)\/[^/]+)\/src\//.exec(file.split('\\').join('/'));
    if (!match) continue;
    const totals = packages.get(match[1]) ?? { covered: 0, total: 0 };
    totals.covered += lines.covered;
    totals.total += lines.total;
    packages.set(match[1], totals);
  }
  const floors = process.env.TEST_DATABASE_URL ? 'floors in vitest.config.ts' : 'floors enforced only with TEST_DATABASE_URL';
  console.log(`== coverage (lines of each src, ${floors})`);
  for (const [name, { covered, total }] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    const percent = total ? ((100 * covered) / total).toFixed(2) : '100.00';
    console.log(`${name.padEnd(24)} ${percent.padStart(6)} %  (${covered}/${total} lines)`);
  }
}
