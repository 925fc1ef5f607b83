#!/usr/bin/env node
// Entry point: runs the CLI from its esbuild bundle (built on demand from src/, see
// scripts/cli-bundle.mjs), or through tsx when the bundle cannot be built or GLEANER_NO_BUNDLE is set.
// Either way no build step is needed.
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { freshCliBundle } from '../scripts/cli-bundle.mjs';

// Grow the old generation by 1.5× per major GC instead of V8's up to 4×: a 100,000-message
// capture peaks at ~300 MB instead of ~385 MB RSS for ~5% more CPU (bench/capture.bench.ts).
v8.setFlagsFromString('--heap-growing-percent=50');

// `gleaner … | head` closes the pipe early: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const bundle = process.env.GLEANER_NO_BUNDLE ? undefined : await freshCliBundle();
let entry = bundle;
if (bundle === undefined) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = '../src/cli/main.ts';
} else if (process.env.GLEANER_DEBUG) {
  process.setSourceMapsEnabled(true);
}
const { main } = await import(bundle === undefined ? entry : pathToFileURL(bundle).href);
process.exitCode = await main(process.argv);
