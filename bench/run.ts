// `npm run bench [-- NAME…]`: runs every bench/*.bench.ts in its own process (so each peak RSS is its own)
// and prints their figures. Each benchmark prints its own baseline ratio.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filters = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();
let failures = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join('bench', file)], { stdio: 'inherit' });
  if (run.status !== 0) failures += 1;
}
if (files.length === 0) console.log('no benchmarks matched');
process.exitCode = failures > 0 ? 1 : 0;
