// The CLI runs from an esbuild bundle of src/ (dist/cli/), rebuilt on the first run after any file it
// was built from changes (or package-lock.json, for the packages bundled in it). Loading plain JS
// instead of compiling ~200 TypeScript modules through tsx at every start, and only the chunk of the
// command being run (code splitting follows the lazy command groups in src/cli/commands/index.ts),
// takes start-up from ~2.4 s and ~190 MB RSS to well under a second and about half the memory.
// Each build goes to its own directory and dist/cli/current.json is replaced by a rename, so a run
// never sees half a build; builds older than a day are removed. When the bundle cannot be built or
// written (a read-only install), bin/gleaner.mjs falls back to tsx.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = join(root, 'dist', 'cli');
const currentPath = join(outRoot, 'current.json');
const keepMs = 24 * 3600_000;

// npm packages stay external (loaded from node_modules at run time) except these pure-JS ES
// modules, which Node's ES module loader would otherwise load file by file at every start: kysely
// alone is ~280 modules and took ~160 ms of each command's start-up, ~25 ms bundled; zod (~100
// files), libphonenumber-js (~120) and postal-mime (~12) took another ~70 ms, in every worker thread
// too (a mail capture's reader started reading ~70 ms sooner, its process ~15 MB smaller).
// (kysely-pglite-dialect goes with kysely, so the store's classes are one copy.)
const BUNDLED_PACKAGES = ['kysely', 'kysely-pglite-dialect', 'zod', 'libphonenumber-js', 'postal-mime'];
const LOCK_FILE = 'package-lock.json';

function externalPackages() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  return names.filter((name) => !BUNDLED_PACKAGES.includes(name));
}

/** The current build ({ dir, builtAt, inputs }) when no file it was built from changed since; else undefined. */
function freshBuild() {
  if (!existsSync(currentPath)) return undefined;
  const current = JSON.parse(readFileSync(currentPath, 'utf8'));
  const entry = join(outRoot, current.dir, 'main.js');
  if (!existsSync(entry)) return undefined;
  // A change to this script (entry points, options) makes another build.
  if (statSync(fileURLToPath(import.meta.url)).mtimeMs > current.builtAt) return undefined;
  const fresh = current.inputs.every((input) => {
    const path = join(root, input);
    return existsSync(path) && statSync(path).mtimeMs <= current.builtAt;
  });
  return fresh ? entry : undefined;
}

async function build() {
  const { buildSync } = await import('esbuild');
  const builtAt = Date.now();
  const dir = `build-${builtAt}-${process.pid}`;
  const result = buildSync({
    // Worker thread entries sit beside main.js (src/runtime/worker-entry.ts starts them): the report
    // worker (src/server/reports/report-runner.ts), the cherry-pick column reader
    // (src/analytics/cherry-pick/column-reader.ts) the import's reader (src/import/read-in-worker.ts)
    // and the mail capture's reader (src/capture/mail-capture.ts).
    entryPoints: {
      main: join(root, 'src', 'cli', 'main.ts'),
      'report-worker': join(root, 'src', 'server', 'reports', 'report-worker.ts'),
      'column-reader-worker': join(root, 'src', 'analytics', 'cherry-pick', 'column-reader-worker.ts'),
      'read-worker': join(root, 'src', 'import', 'read-worker.ts'),
      'mail-capture-worker': join(root, 'src', 'capture', 'mail-capture-worker.ts'),
      // The importer alone, for bench/import.bench.ts.
      'import-api': join(root, 'src', 'import', 'import-api.ts'),
    },
    outdir: join(outRoot, dir),
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: externalPackages(),
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
  });
  // Bundled packages change only through package-lock.json: their files are not each checked.
  const inputs = Object.keys(result.metafile.inputs)
    .map((input) => relative(root, join(process.cwd(), input)))
    .filter((input) => !input.startsWith('node_modules/'));
  inputs.push(LOCK_FILE);
  const temp = `${currentPath}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ dir, builtAt, inputs }));
  renameSync(temp, currentPath);
  for (const old of readdirSync(outRoot)) {
    const path = join(outRoot, old);
    if (old.startsWith('build-') && old !== dir && builtAt - statSync(path).mtimeMs > keepMs)
      rmSync(path, { recursive: true, force: true });
  }
  return join(outRoot, dir, 'main.js');
}

/** The bundle's entry file, built first if stale; undefined when it cannot be built here. */
export async function freshCliBundle() {
  try {
    mkdirSync(outRoot, { recursive: true });
    return freshBuild() ?? (await build());
  } catch {
    return undefined;
  }
}
