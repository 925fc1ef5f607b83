// Builds the dashboard (dist/web) when it is missing or older than any file under src/web, so
// `npm start` on a fresh clone serves a current dashboard without rebuilding on every start.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const built = 'dist/web/index.html';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const sources = Math.max(newest('src/web'), statSync('package-lock.json').mtimeMs);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log('gleaner: building the dashboard (vite) …');
  execSync('npm run --silent build:web', { stdio: 'inherit' });
}
