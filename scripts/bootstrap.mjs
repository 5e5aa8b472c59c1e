#!/usr/bin/env node
// Zero-dependency bootstrap behind `npm start` and `npm test`: it runs on any Node >= 18 with npm,
// fetches Node 24 and the pinned pnpm from the npm registry when needed (into the git-ignored
// .tools folder), installs the workspace when the lockfile changed, then hands over to pnpm (or,
// for `start`, runs the start script itself).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tools = join(root, '.tools');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const NODE_VERSION = pkg.bootstrap.node;
const PNPM_VERSION = pkg.packageManager.replace(/^pnpm@/, '').split('+')[0];
const MIN_NODE_MAJOR = 22;

const [command = 'start', ...rest] = process.argv.slice(2);

function log(message) {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

function run(bin, args, options = {}) {
  const result = spawnSync(bin, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function npmInstallInto(prefix, spec) {
  mkdirSync(prefix, { recursive: true });
  log(`installing ${spec} from the npm registry into ${prefix.replace(root + '/', '')}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const status = run(npm, ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', spec]);
  if (status !== 0) {
    log(`could not install ${spec} (npm exited ${status})`);
    process.exit(status);
  }
}

/** The Node binary to run the project with: this one when it is new enough, otherwise Node 24 in .tools. */
function resolveNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return process.execPath;
  const prefix = join(tools, `node-${NODE_VERSION}`);
  const bin = join(prefix, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bin)) {
    log(`Node ${process.versions.node} is older than ${MIN_NODE_MAJOR}; fetching Node ${NODE_VERSION}`);
    npmInstallInto(prefix, `node@${NODE_VERSION}`);
  }
  return bin;
}

function resolvePnpm() {
  const prefix = join(tools, `pnpm-${PNPM_VERSION}`);
  const entry = join(prefix, 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');
  if (!existsSync(entry)) npmInstallInto(prefix, `pnpm@${PNPM_VERSION}`);
  return entry;
}

/** A fingerprint of everything that decides what `pnpm install` puts in node_modules. */
function installFingerprint() {
  const hash = createHash('sha256');
  for (const file of ['pnpm-lock.yaml', 'pnpm-workspace.yaml']) {
    hash.update(existsSync(join(root, file)) ? readFileSync(join(root, file)) : '');
  }
  return hash.digest('hex');
}

const node = resolveNode();
const pnpm = resolvePnpm();
// Scripts run by pnpm must see the same Node first on PATH.
const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` };
const pnpmRun = (args) => run(node, [pnpm, ...args], { env });

const stampFile = join(root, 'node_modules', '.bootstrap-stamp');
const fingerprint = installFingerprint();
const installed = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === fingerprint;
if (!installed) {
  log('installing dependencies (pnpm install --frozen-lockfile)');
  const status = pnpmRun(['install', '--frozen-lockfile']);
  if (status !== 0) process.exit(status);
  writeFileSync(stampFile, fingerprint);
}

const scripts = { start: 'serve', test: 'test:all', bench: 'bench:run' };
const script = scripts[command] ?? command;
// The server runs as long as `npm start` does, and `pnpm run` would stay beside it all that time
// as a second Node process (about 150 MB RSS): the start script runs straight from package.json
// through the shell, as pnpm would run it.
if (command === 'start' && process.platform !== 'win32') {
  const bin = join(root, 'node_modules', '.bin');
  process.exit(run('sh', ['-c', `${pkg.scripts[script]} "$@"`, 'sh', ...rest], { env: { ...env, PATH: `${dirname(node)}:${bin}:${process.env.PATH}` } }));
}
process.exit(pnpmRun(['run', script, ...rest]));
