// Bundles the server into dist/main.js for production runs and the benchmark (`pnpm build`):
// the @tasks/* workspace packages (TypeScript sources) are compiled in, npm packages stay external.
// pnpm keeps every package's dependencies beside it, so an external import is resolved from the
// workspace package that makes it and written into the bundle as a path relative to dist/: the
// bundle runs from this checkout's node_modules without listing api's and db's dependencies here.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const serverDir = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(serverDir, 'dist');

/** @type {import('esbuild').Plugin} */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@tasks/') || args.path.startsWith('node:') || args.pluginData?.resolving) return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { resolving: true },
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      if (resolved.external) return { path: args.path, external: true };
      const path = relative(outdir, resolved.path).split('\\').join('/');
      return { path: path.startsWith('.') ? path : `./${path}`, external: true };
    });
  },
};

const result = await build({
  entryPoints: [join(serverDir, 'src', 'main.ts')],
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  // Keep class and function names: stack traces in logs and CPU profiles stay readable.
  keepNames: true,
  logLevel: 'warning',
  metafile: true,
  plugins: [externalNpmPackages],
  // Node's conditions only: esbuild's default adds "module", whose files are for bundlers (the
  // OpenTelemetry API's has extensionless imports, which Node refuses), while the externals written
  // into the bundle are loaded by Node.
  conditions: [],
});
const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
process.stdout.write(`built ${relative(process.cwd(), join(outdir, 'main.js'))} (${Math.round(bytes / 1024)} KiB)\n`);
