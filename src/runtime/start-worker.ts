import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker thread whose entry is `name` (e.g. 'read-worker') beside the calling module.
 * From the CLI bundle that is `name.js` beside the caller's chunk (an extra entry point of
 * scripts/cli-bundle.mjs); from source (tsx, vitest) it is `name.ts`, imported once tsx is
 * registered in the new thread.
 */
export function startWorker(options: { callerUrl: string; name: string; workerData: unknown }): Worker {
  const { callerUrl, name, workerData } = options;
  // Bundled code needs no loader: the thread does not inherit one the process was started with
  // (`node --import tsx`), which would load and compile modules for it again.
  if (!callerUrl.endsWith('.ts'))
    return new Worker(new URL(`./${name}.js`, callerUrl), { workerData, execArgv: [] });
  return new Worker(tsxBootstrap(new URL(`./${name}.ts`, callerUrl).href), { eval: true, workerData });
}

function tsxBootstrap(entry: string): string {
  // tsx/esm/api's ESM build (its CommonJS build cannot register hooks in a worker).
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pkg.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs';
  const tsx = new URL(api, pathToFileURL(manifest)).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}
