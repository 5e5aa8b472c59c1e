// @tasks/client and @tasks/testing as a project outside this repository gets them: the tarballs of
// `npm run pack`, installed by npm into a fresh folder, type-checked by that project's TypeScript 5,
// its compiled app run by the system's Node 20 against a real server, its own vitest run on the harness.
import { execFile, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startTestServer } from '@tasks/testing';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const fixture = join(import.meta.dirname, '..', 'outside-project');
const packages = join(root, '.packages');
// The consumer's own npm cache, kept in the git-ignored node_modules so a rerun installs offline.
const npmCache = join(root, 'node_modules', '.cache', 'outside-project-npm');
const SYSTEM_NODE = '/usr/bin/node';
const SYSTEM_NPM = '/usr/lib/node_modules/npm/bin/npm-cli.js';

/** A version from pnpm-workspace.yaml's catalogs, so the outside project installs what the workspace tests. */
function catalogVersion(name: string): string {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const line = yaml.split('\n').find((l) => l.trim().replace(/^'([^']+)'/, '$1').startsWith(`${name}:`));
  if (!line) throw new Error(`${name} is not in the catalog`);
  return line.split(':').at(-1)!.trim();
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000 });
}

/** The same, without blocking this process: needed while a server in it must answer the child. */
function runAsync(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<SpawnSyncReturns<string>> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ pid: 0, output: [], stdout, stderr, status, signal: null });
    });
  });
}

function output(result: SpawnSyncReturns<string>): string {
  return `exit ${result.status}\n${result.stdout}\n${result.stderr}`.slice(-6000);
}

const tarball = (name: string) => `file:${join(packages, `tasks-${name}-0.1.0.tgz`)}`;

// The packing and the outside install do not depend on the database; the postgres project would
// only repeat them. The harness test inside the outside project runs on PGlite (no TEST_DATABASE_URL).
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('the packed packages in an outside project (pglite project only)', () => {
  let project: string;

  beforeAll(() => {
    const packed = run(process.execPath, [join(root, 'scripts', 'pack-packages.mjs')], root);
    expect(packed.status, output(packed)).toBe(0);

    project = mkdtempSync(join(tmpdir(), 'tasks-outside-'));
    cpSync(fixture, project, { recursive: true });
    const manifest = {
      name: 'outside-app',
      private: true,
      type: 'module',
      dependencies: {
        '@tasks/client': tarball('client'),
        '@tanstack/react-query': catalogVersion('@tanstack/react-query'),
        '@trpc/tanstack-react-query': catalogVersion('@trpc/tanstack-react-query'),
        react: catalogVersion('react'),
      },
      devDependencies: {
        '@tasks/testing': tarball('testing'),
        // What the harness loads at run time: packed beside it, as a registry would serve them.
        '@tasks/server': tarball('server'),
        '@tasks/api': tarball('api'),
        '@tasks/db': tarball('db'),
        '@types/node': catalogVersion('@types/node'),
        '@types/react': catalogVersion('@types/react'),
        typescript: '5.9.3',
        vitest: catalogVersion('vitest'),
      },
      // The README's advice: @trpc/tanstack-react-query 11.22.1 pins its tRPC peers to 11.22.1.
      overrides: { '@trpc/client': catalogVersion('@trpc/client'), '@trpc/server': catalogVersion('@trpc/server') },
    };
    writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    mkdirSync(npmCache, { recursive: true });
    // The system's npm on the system's Node, as a consumer on Node 20 would install.
    const installed = run(
      SYSTEM_NODE,
      [SYSTEM_NPM, 'install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `--cache=${npmCache}`],
      project,
    );
    expect(installed.status, output(installed)).toBe(0);
  }, 400_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('packs manifests an outside npm can resolve', () => {
    for (const file of readdirSync(packages).filter((f) => f.endsWith('.tgz'))) {
      const manifest = JSON.parse(run('tar', ['-xOzf', join(packages, file), 'package/package.json'], root).stdout);
      expect(manifest.private, file).toBeUndefined();
      const ranges = Object.values({ ...manifest.dependencies, ...manifest.peerDependencies }) as string[];
      expect(ranges.filter((range) => /^(workspace|catalog):/.test(range)), file).toEqual([]);
      expect(JSON.stringify(manifest.exports), file).not.toContain('/src/');
    }
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', '@tasks', 'client', 'package.json'), 'utf8'));
    expect(installed.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  });

  it('type-checks the app with TypeScript 5 under bundler and nodenext resolution, strict, without skipLibCheck', () => {
    const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(run(SYSTEM_NODE, [tsc, '--version'], project).stdout).toContain('Version 5.9.3');
    for (const config of ['tsconfig.bundler.json', 'tsconfig.nodenext.json']) {
      const options = JSON.parse(readFileSync(join(project, config), 'utf8')).compilerOptions;
      expect(options).toMatchObject({ strict: true });
      expect(options).not.toHaveProperty('skipLibCheck');
      const checked = run(SYSTEM_NODE, [tsc, '-p', config, '--pretty', 'false'], project);
      expect(checked.status, `${config}: ${output(checked)}`).toBe(0);
    }
  }, 120_000);

  it('refuses to compile a wrong-typed call', () => {
    const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = run(SYSTEM_NODE, [tsc, '-p', 'tsconfig.wrong.json', '--pretty', 'false'], project);
    const source = readFileSync(join(project, 'wrong', 'calls.ts'), 'utf8').split('\n');
    const wrongLines = source.flatMap((line, i) => (line.includes('// WRONG') ? [i + 1] : []));
    const errorLines = [...checked.stdout.matchAll(/calls\.ts\((\d+),\d+\): error TS\d+/g)].map((m) => Number(m[1]));
    expect(checked.status).not.toBe(0);
    expect(wrongLines).toHaveLength(4);
    expect([...new Set(errorLines)].sort((a, b) => a - b), checked.stdout).toEqual(wrongLines);
  }, 120_000);

  it('runs the compiled app on the system Node 20 against a real server', async () => {
    // Compiled by the nodenext check above (it is the config that emits).
    const main = join(project, 'build', 'node', 'main.js');
    expect(existsSync(main)).toBe(true);
    const t = await startTestServer();
    try {
      const ran = await runAsync(SYSTEM_NODE, [main], project, { TASKS_URL: t.trpcUrl, TASKS_TOKEN: await t.tokenFor('outside-app') });
      expect(ran.status, output(ran)).toBe(0);
      const result = JSON.parse(ran.stdout);
      expect(result.node).toBe(run(SYSTEM_NODE, ['-p', 'process.versions.node'], project).stdout.trim());
      expect(Number(result.node.split('.')[0])).toBe(20);
      expect(result).toMatchObject({ createdIsDate: true, completedIsDate: true, listed: ['Buy milk'], nextCursor: null });
    } finally {
      await t.close();
    }
  }, 60_000);

  it("runs the outside project's own vitest test on startTestServer", () => {
    // vitest 5 needs Node ^22.12 || >=24 (its engines): it runs on this workspace's Node.
    const vitest = join(project, 'node_modules', 'vitest', 'vitest.mjs');
    const ran = run(process.execPath, [vitest, 'run'], project, { TEST_DATABASE_URL: '', CI: 'true', NO_COLOR: '1' });
    expect(ran.status, output(ran)).toBe(0);
    expect(ran.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/Tests\s+2 passed \(2\)/);
  }, 120_000);

  it('bundles for the browser with no server code and no Node built-in', async () => {
    const entry = join(project, 'node_modules', '@tasks', 'client', 'dist', 'index.js');
    const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', minify: true, write: false, metafile: true });
    const inputs = Object.keys(result.metafile.inputs).map((path) => path.replace(/^.*node_modules\//, ''));
    const packagesBundled = [...new Set(inputs.map((path) => (path.startsWith('@') ? path.split('/').slice(0, 2) : path.split('/').slice(0, 1)).join('/')))];
    // The client, tRPC's client side, superjson and the fetch-based EventSource ponyfill (with their
    // own small dependencies), nothing else.
    const allowed = ['@tasks/client', '@trpc/client', '@trpc/server', 'superjson', 'copy-anything', 'is-what', 'eventsource', 'eventsource-parser'];
    expect(packagesBundled.filter((name) => !allowed.includes(name))).toEqual([]);
    expect(packagesBundled).toEqual(expect.arrayContaining(['@tasks/client', '@trpc/client', 'superjson']));
    const gzipped = gzipSync(result.outputFiles[0]!.contents).length;
    // The README's figure; the bound only says "a client, not a server" (the server bundle is ~100x).
    console.log(`@tasks/client browser bundle: ${result.outputFiles[0]!.contents.length} bytes minified, ${gzipped} bytes gzip`);
    expect(gzipped).toBeLessThan(50_000);
  });
});
