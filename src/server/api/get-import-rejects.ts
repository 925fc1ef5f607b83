import { existsSync, readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { notFound } from '../../errors/app-error.ts';
import type { ServerDeps } from '../route.ts';
import { importRejectsPath } from './import-runs.ts';

/** The rejected rows of an import run as CSV (line, field, reason, the raw row), when it had any. */
export async function getImportRejects(deps: ServerDeps, id: number): Promise<{ name: string; csv: Buffer }> {
  const file = await importRejectsPath(deps.store.db, id);
  // Only files written next to an upload of this server: a stored path is never trusted blindly.
  const root = resolve(deps.config.server.uploadsDir) + sep;
  if (typeof file !== 'string' || !resolve(file).startsWith(root) || !existsSync(file)) {
    throw notFound(`import run ${id} has no rejected rows to download`);
  }
  return { name: `import-${id}-rejects.csv`, csv: readFileSync(file) };
}
