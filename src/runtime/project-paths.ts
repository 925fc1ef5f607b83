import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory of Gleaner's package.json: found by walking up from this module, so files that ship
 * beside the code (presets, default policies, the sample) resolve the same from `src/` under tsx and
 * from the bundled CLI in `dist/cli/` (where every module shares one `import.meta.url`).
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gleaner'
    )
      return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find Gleaner's package.json above ${from}`);
  }
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `projectPath('src/import/presets')`. */
export function projectPath(...segments: string[]): string {
  return join(projectRoot, ...segments);
}
