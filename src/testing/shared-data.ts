import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The real data sets in ../shared/data (see its SOURCES.md). A user's clone has no ../shared:
 * tests that need it use `describe.skipIf(!sharedData)` and say so; CI always has it.
 */
export const sharedDataDir: string | undefined = (() => {
  const candidates = [process.env.GLEANER_SHARED_DATA, resolve('../shared/data'), '/work/shared/data'];
  return candidates.find((dir): dir is string => Boolean(dir) && existsSync(dir as string));
})();

export const sharedDataPath = (...parts: string[]): string => {
  if (!sharedDataDir) throw new Error('../shared/data is not available on this machine');
  return join(sharedDataDir, ...parts);
};
