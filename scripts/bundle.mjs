// Bundles the compiled app (dist/main.js and everything it imports, node_modules included) into one
// file, dist/oncepay.mjs. Start-up is mostly module loading: resolving, reading and linking ~1,500
// files costs ~0.8 s on a machine where system calls are slow; one file costs a fraction of that.
// Runs after tsc, on its output, so decorator metadata is the compiler's own.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Optional packages Nest and its friends look for at run time and do without: left out if not installed. */
/**
 * TypeORM is only needed to create or migrate a database (see sqlite-connection.ts): its data source
 * stays a separate module, imported from dist/ when needed, so the bundle never parses TypeORM.
 */
const dataSourceLoadedLater = {
  name: 'data-source-loaded-later',
  setup(b) {
    b.onResolve({ filter: /\/data-source\.js$/ }, (args) => ({
      path: `./${path.relative('dist', path.join(args.resolveDir, args.path))}`,
      external: true,
    }));
  },
};

const optionalWhenMissing = {
  name: 'optional-when-missing',
  setup(b) {
    b.onResolve({ filter: /^[@a-z]/ }, (args) => {
      try {
        require.resolve(args.path, { paths: [args.resolveDir] });
        return undefined;
      } catch {
        return { path: args.path, external: true };
      }
    });
  },
};

await build({
  entryPoints: ['dist/main.js'],
  outfile: 'dist/oncepay.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // CommonJS dependencies call require(): give the bundle a real one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Native: loaded from node_modules at run time.
  external: ['better-sqlite3'],
  plugins: [dataSourceLoadedLater, optionalWhenMissing],
  logLevel: 'warning',
});
