#!/usr/bin/env node
// `npm run pack`: installable tarballs of @tasks/client and @tasks/testing, and of what they load at
// run time (@tasks/server, @tasks/api, @tasks/db), written to .packages/. Inside the workspace every
// package keeps exporting its TypeScript source; pnpm pack swaps in `publishConfig` (exports → dist/)
// and turns workspace:/catalog: ranges into versions. This script fills each dist/ first:
//   1. tsc emits JavaScript and declarations for the five packages (relative `.ts` imports → `.js`);
//   2. the client's and the harness's declarations are bundled (rolldown-plugin-dts), with the
//      router's and the server's types inlined, so a consumer type-checks without our sources;
//   3. every packed manifest and every bundle's imports are checked against what a consumer can
//      install: no workspace:/catalog: range, no private flag, no package of ours left unpacked.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import { dts } from 'rolldown-plugin-dts';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outDir = join(root, '.packages');
const PACKAGES = ['db', 'api', 'server', 'client', 'testing'];
const manifestOf = (name) => JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));

/** Entry source files of a package: the targets of its workspace `exports`. */
function entriesOf(name) {
  return Object.values(manifestOf(name).exports).map((target) => join(root, 'packages', name, target));
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/** pnpm: the one running this script, else the copy the bootstrap installs. */
function pnpmCommand() {
  const execpath = process.env.npm_execpath ?? '';
  if (/pnpm(\.c?js|\.mjs)?$/.test(execpath)) return [process.execPath, execpath];
  const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const version = packageManager.replace(/^pnpm@/, '').split('+')[0];
  const entry = join(root, '.tools', `pnpm-${version}`, 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');
  if (!existsSync(entry)) throw new Error(`pnpm ${version} not found at ${entry}: run \`npm test\` or \`npm run pack\` once (the bootstrap installs it)`);
  return [process.execPath, entry];
}

/** Emitted `.js` files under `dir` with no `.d.ts` beside them. */
function missingDeclarations(dir) {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  const besideJs = files.filter((file) => file.endsWith('.js') && !existsSync(join(dir, file.replace(/\.js$/, '.d.ts'))));
  // A file missing with its JavaScript too (seen once more in CI): what the emitted declarations import.
  const imported = files
    .filter((file) => file.endsWith('.d.ts'))
    .flatMap((file) =>
      [...readFileSync(join(dir, file), 'utf8').matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)]
        .map(([, source]) => join(dirname(file), source).replace(/\.(ts|js)$/, '.d.ts'))
        .filter((target) => !existsSync(join(dir, target))),
    );
  return [...new Set([...besideJs, ...imported])];
}

// 1. JavaScript and declarations, one tsc run over every entry (it follows the imports).
function emit(work) {
  const tsconfig = join(root, 'scripts', `.tsconfig.pack-${process.pid}.json`);
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: './../tsconfig.base.json',
      compilerOptions: {
        noEmit: false,
        declaration: true,
        allowImportingTsExtensions: false,
        rewriteRelativeImportExtensions: true,
        rootDir: '../packages',
        outDir: relative(join(root, 'scripts'), work),
      },
      files: PACKAGES.flatMap(entriesOf).map((file) => relative(join(root, 'scripts'), file)),
    }),
  );
  try {
    run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig, '--pretty', 'false']);
    // Twice, under the full suite's load, tsc exited 0 with files missing: declarations beside their
    // JavaScript, and once a file with its JavaScript (cause not found); a second, single-threaded
    // emit then, rather than a broken bundle.
    const missing = missingDeclarations(work);
    if (missing.length > 0) {
      process.stderr.write(`[pack] declarations missing after tsc (${missing.slice(0, 5).join(', ')}…): emitting again, single-threaded\n`);
      run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig, '--pretty', 'false', '--singleThreaded']);
      const still = missingDeclarations(work);
      if (still.length > 0) throw new Error(`tsc emitted no declarations for ${still.join(', ')}`);
    }
  } finally {
    rmSync(tsconfig, { force: true });
  }
  for (const name of PACKAGES) {
    const dist = join(root, 'packages', name, 'dist');
    rmSync(dist, { recursive: true, force: true });
    cpSync(join(work, name, 'src'), dist, { recursive: true, filter: (path) => !path.endsWith('.d.ts') });
  }
}

// Packages that only the server's side of a declaration mentions, replaced in the bundles by a module
// of opaque types (one per name our declarations import from it). trpc-to-openapi's own declarations
// import express, koa, next and fastify types it does not depend on, so no consumer without
// skipLibCheck could load them; the router carries only `OpenApiMeta` from it, as each procedure's
// `meta`, which no client reads. The client also gets an opaque kysely: the router's context holds a
// `Kysely<Database>` (`ctx.db`), which a client never sees, so it needs no kysely. The harness, which
// installs kysely anyway, keeps the real one.
function opaqueModule(work, name) {
  const names = new Set();
  const quoted = name.replace(/[/.]/g, '\\$&');
  const named = new RegExp(`import\\s+(?:type\\s+)?\\{([^}]*)\\}\\s+from\\s+['"]${quoted}['"]`, 'g');
  const inline = new RegExp(`import\\(["']${quoted}["']\\)\\.(\\w+)`, 'g');
  for (const file of readdirSync(work, { recursive: true }).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(join(work, file), 'utf8');
    for (const [, list] of text.matchAll(named)) {
      for (const item of list.split(',')) {
        const imported = item.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0];
        if (imported) names.add(imported);
      }
    }
    for (const [, imported] of text.matchAll(inline)) names.add(imported);
  }
  const declarations = [...names].map((n) => `export interface ${n}<A = unknown, B = unknown, C = unknown> { readonly [serverSide]?: [A, B, C] }`);
  return ['declare const serverSide: unique symbol;', ...declarations, ''].join('\n');
}

/** Resolves our packages to their emitted declarations (inlined) and the opaque modules above. */
function declarationSources(work, { inline, opaque }) {
  return {
    name: 'tasks-declaration-sources',
    // Before the declaration plugin's own resolver, which would find these in node_modules.
    resolveId: { order: 'pre', handler: resolveDeclaration },
    load(id) {
      const opaque = /^\0opaque\/(.+)\.d\.ts$/.exec(id);
      return opaque ? opaqueModule(work, opaque[1]) : null;
    },
  };
  function resolveDeclaration(source, importer) {
    if (opaque.includes(source)) return `\0opaque/${source}.d.ts`;
    const ours = /^@tasks\/([a-z]+)$/.exec(source);
    if (ours && inline.includes(ours[1])) return join(work, ours[1], 'src', 'index.d.ts');
    if (importer?.startsWith(work) && source.startsWith('.')) {
      return resolve(dirname(importer), source).replace(/\.(ts|js)$/, '.d.ts');
    }
    return null;
  }
}

// 2. One declaration bundle per entry of the client and of the harness.
async function bundleDeclarations(work, name, options) {
  const dist = join(root, 'packages', name, 'dist');
  const input = Object.fromEntries(
    entriesOf(name).map((file) => {
      const base = relative(join(root, 'packages', name, 'src'), file).replace(/\.ts$/, '');
      return [base, join(work, name, 'src', `${base}.d.ts`)];
    }),
  );
  const bundle = await rolldown({
    input,
    plugins: [
      declarationSources(work, options),
      // The inputs are declarations already (step 1): the plugin only bundles them, generating nothing.
      dts({ dtsOnly: true, tsconfig: false, generator: 'oxc' }),
    ],
    // Every package but ours (the client stays a package of its own for the harness) and the opaque ones.
    external: (source) => /^[^./\0]/.test(source) && !options.opaque.includes(source) && !/^@tasks\/(?!client$)/.test(source),
    logLevel: 'warn',
  });
  const { output } = await bundle.write({
    dir: dist,
    format: 'es',
    entryFileNames: '[name].d.ts',
    chunkFileNames: '[name]-[hash].d.ts',
    // tRPC's declarations name `Disposable` and `AsyncDisposable` without asking for their library,
    // which an app's `lib` (say ["ES2022", "DOM"]) may not hold; this asks for it on the app's behalf.
    banner: '/// <reference lib="esnext.disposable" />',
  });
  await bundle.close();
  // What a consumer's compiler will look up: every module specifier left in the written files.
  const specifiers = output.flatMap((chunk) =>
    chunk.type === 'chunk' ? [...chunk.code.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)].map((m) => m[1]) : [],
  );
  return [...new Set(specifiers)].filter((specifier) => !specifier.startsWith('.'));
}

const packageName = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);

/** A bundle may import only builtins and packages its manifest makes the consumer install. */
function checkImports(name, imports) {
  const manifest = manifestOf(name);
  const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }));
  const undeclared = imports.filter((s) => !s.startsWith('node:') && !declared.has(packageName(s)));
  if (undeclared.length) throw new Error(`${manifest.name}'s declarations import undeclared packages: ${undeclared.join(', ')}`);
}

// 3. The tarballs, and what a consumer's npm will see in them.
function pack() {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const [node, pnpm] = pnpmCommand();
  for (const name of PACKAGES) {
    run(node, [pnpm, 'pack', '--pack-destination', outDir], { cwd: join(root, 'packages', name) });
  }
  const tarballs = readdirSync(outDir).filter((f) => f.endsWith('.tgz'));
  const packed = new Map();
  for (const file of tarballs) {
    const manifest = JSON.parse(run('tar', ['-xOzf', join(outDir, file), 'package/package.json']));
    const files = run('tar', ['-tzf', join(outDir, file)]).split('\n').filter(Boolean);
    packed.set(manifest.name, { file, manifest, files });
  }
  for (const [name, { manifest, files }] of packed) {
    if (manifest.private) throw new Error(`${name} is packed as private`);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (/^(workspace|catalog):/.test(range)) throw new Error(`${name} ${field}.${dep} is still ${range}`);
        if (dep.startsWith('@tasks/') && !packed.has(dep)) throw new Error(`${name} needs ${dep}, which is not packed`);
      }
    }
    const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
    for (const target of targets(manifest.exports).map((t) => `package/${t.slice(2)}`)) {
      if (!files.includes(target)) throw new Error(`${name} exports ${target}, which is not in its tarball`);
    }
  }
  return [...packed.values()].map((p) => p.file);
}

export async function packPackages() {
  const work = mkdtempSync(join(tmpdir(), 'tasks-pack-'));
  try {
    emit(work);
    const clientImports = await bundleDeclarations(work, 'client', { inline: ['api', 'db'], opaque: ['trpc-to-openapi', 'kysely'] });
    checkImports('client', clientImports);
    const testingImports = await bundleDeclarations(work, 'testing', { inline: ['server', 'api', 'db'], opaque: ['trpc-to-openapi'] });
    checkImports('testing', testingImports);
    return pack().map((file) => join(outDir, file));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main ?? process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await packPackages();
  for (const file of files) process.stdout.write(`${relative(root, file)}\n`);
}
