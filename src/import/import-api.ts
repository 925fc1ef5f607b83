// The importer as the CLI bundle ships it: an extra entry point of scripts/cli-bundle.mjs, so
// bench/import.bench.ts times the code `gleaner import` runs (its read worker included) rather than
// the sources compiled on the fly by tsx, which cost a worker thread ~1 s CPU and ~80 MB more.
export { openStore } from '../store/open-store.ts';
export { importFile } from './import-file.ts';
