// The layering of DESIGN.md, checked from the code itself: dependencies point down (apps → packages;
// testing → server → api → db; client → api for types only), no package imports an app, and the web
// app reaches the server through @tasks/client alone.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

interface Workspace {
  name: string;
  dir: string;
  kind: 'apps' | 'packages';
  manifest: Record<string, Record<string, string> | undefined>;
}

function workspaces(): Workspace[] {
  return (['apps', 'packages'] as const).flatMap((kind) =>
    readdirSync(join(root, kind)).map((folder) => {
      const dir = join(root, kind, folder);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: manifest.name as string, dir, kind, manifest };
    }),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) return [];
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|mjs|js)$/.test(entry) ? [path] : [];
  });
}

/** Every module specifier of a file, with whether only types are imported. */
function importsOf(file: string): Array<{ specifier: string; typeOnly: boolean }> {
  const text = readFileSync(file, 'utf8');
  const found: Array<{ specifier: string; typeOnly: boolean }> = [];
  const statement = /^\s*(import|export)\s+(type\s+)?[^'"]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const match of text.matchAll(statement)) {
    const specifier = match[3] ?? match[4] ?? match[5];
    if (specifier) found.push({ specifier, typeOnly: Boolean(match[2]) });
  }
  return found;
}

const all = workspaces();
const byName = new Map(all.map((w) => [w.name, w]));
const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

// Which workspace packages each package may use at run time (DESIGN.md, "Layout").
const ALLOWED: Record<string, string[]> = {
  '@tasks/db': [],
  '@tasks/api': ['@tasks/db'],
  '@tasks/server': ['@tasks/api', '@tasks/db'],
  '@tasks/client': [],
  '@tasks/testing': ['@tasks/server', '@tasks/api', '@tasks/db', '@tasks/client'],
  '@tasks/openapi-codegen': [],
};

describe('layout', () => {
  it('finds the workspaces it checks', () => {
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['@tasks/db', '@tasks/api', '@tasks/server', '@tasks/testing', '@tasks/client']));
  });

  it('no package declares a dependency on an app', () => {
    const apps = new Set(all.filter((w) => w.kind === 'apps').map((w) => w.name));
    for (const pkg of all.filter((w) => w.kind === 'packages')) {
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        const named = Object.keys(pkg.manifest[field] ?? {}).filter((dep) => apps.has(dep));
        expect(named, `${pkg.name} ${field}`).toEqual([]);
      }
    }
  });

  it('no file under packages/ imports from apps/, by path or by name', () => {
    const apps = new Set(all.filter((w) => w.kind === 'apps').map((w) => w.name));
    const offending: string[] = [];
    for (const pkg of all.filter((w) => w.kind === 'packages')) {
      for (const file of sourceFiles(pkg.dir)) {
        for (const { specifier } of importsOf(file)) {
          const intoApps = specifier.startsWith('.') && relative(root, resolve(dirname(file), specifier)).startsWith('apps/');
          if (intoApps || apps.has(packageOf(specifier))) offending.push(`${relative(root, file)} → ${specifier}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('each package imports only the workspace packages below it (tests may use the harness)', () => {
    const offending: string[] = [];
    for (const pkg of all.filter((w) => w.kind === 'packages')) {
      const allowed = new Set([pkg.name, ...(ALLOWED[pkg.name] ?? [])]);
      for (const file of sourceFiles(pkg.dir)) {
        const isTest = /\.test\.ts$|\/type-fixtures\//.test(file);
        for (const { specifier, typeOnly } of importsOf(file)) {
          const name = packageOf(specifier);
          if (!byName.has(name) || allowed.has(name)) continue;
          if (isTest && ['@tasks/testing', '@tasks/client', '@tasks/openapi-codegen'].includes(name)) continue;
          // The client carries the router's type in its declarations and nothing of the server at run time.
          if (pkg.name === '@tasks/client' && name === '@tasks/api' && typeOnly) continue;
          offending.push(`${relative(root, file)} → ${specifier}${typeOnly ? ' (type)' : ''}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('the web app uses the server only through @tasks/client, as an outside app would (tests and scripts may use the harness)', () => {
    const web = byName.get('@tasks/web');
    expect(web, 'apps/web').toBeDefined();
    const offending: string[] = [];
    for (const file of sourceFiles(web!.dir)) {
      // The measuring script starts a server as the tests do.
      const isTest = /\.test\.tsx?$|\/scripts\//.test(file);
      for (const { specifier } of importsOf(file)) {
        const outside = specifier.startsWith('.') && relative(web!.dir, resolve(dirname(file), specifier)).startsWith('..');
        const name = packageOf(specifier);
        const workspace = byName.has(name) && name !== '@tasks/client' && !(isTest && name === '@tasks/testing');
        if (outside || workspace) offending.push(`${relative(root, file)} → ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
    const declared = Object.keys(web!.manifest.dependencies ?? {}).filter((dep) => byName.has(dep));
    expect(declared).toEqual(['@tasks/client']);
  });

  it('the import scanner sees the forms it must catch', () => {
    // A scanner that misses an import form would make the checks above pass vacuously.
    const file = join(root, 'test', 'layout.test.ts');
    const specifiers = importsOf(file).map((i) => i.specifier);
    expect(specifiers).toEqual(expect.arrayContaining(['node:fs', 'node:path', 'vitest']));
  });
});
