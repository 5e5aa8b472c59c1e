#!/usr/bin/env node
// Builds the web app when its inputs changed since the last build, the way scripts/bootstrap.mjs
// installs: a fingerprint of the app's sources, the client it bundles and the lockfile, kept in a
// stamp file beside the build, so a second `npm start` builds nothing. Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = join(import.meta.dirname, '..');
const root = join(app, '..', '..');
const INPUTS = ['apps/web/src', 'apps/web/index.html', 'apps/web/vite.config.ts', 'apps/web/package.json', 'packages/client/src', 'pnpm-lock.yaml'];

function filesUnder(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => (entry.endsWith('.test.ts') || entry.endsWith('.test.tsx') ? [] : filesUnder(join(path, entry))));
}

/** The hash of every input's path and content: a moved file changes it as an edited one does. */
export function webFingerprint() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => filesUnder(join(root, input)))) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Runs `vite build` into `outDir` (apps/web/dist by default); throws when it fails. */
export function buildWebApp(outDir = join(app, 'dist')) {
  const vite = join(app, 'node_modules', 'vite', 'bin', 'vite.js');
  // NODE_ENV from a test runner ("test") would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  const result = spawnSync(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: app, stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status ?? result.signal})`);
  return outDir;
}

/** Builds apps/web/dist unless the stamp says it was built from these very inputs. Resolves to whether it built. */
export function ensureWebBuilt({ log = (line) => process.stderr.write(`[web] ${line}\n`) } = {}) {
  const dist = join(app, 'dist');
  const stamp = join(dist, '.build-stamp');
  const fingerprint = webFingerprint();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint && existsSync(join(dist, 'index.html'))) return false;
  log('building the web app (vite build)');
  buildWebApp(dist);
  writeFileSync(stamp, fingerprint);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureWebBuilt();
