import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The files under `dir`, depth first in name order (so runs see them in the same order), skipping
 * hidden entries and the folders `skipFolder` names.
 */
export async function* walkFiles(
  dir: string,
  skipFolder: (name: string) => boolean = () => false,
): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipFolder(entry.name)) yield* walkFiles(full, skipFolder);
    } else if (entry.isFile()) yield full;
  }
}
