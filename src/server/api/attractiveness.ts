import type { Kysely } from 'kysely';
import { loadAttractivenessConfig, saveAttractivenessConfig } from '../../attributes/attractiveness.ts';
import type { Database } from '../../store/schema.ts';
import type { Attractiveness } from './settings.types.ts';

/** The workspace's attractiveness config (the defaults until one is saved), as `gleaner attractiveness show`. */
export async function getAttractiveness(db: Kysely<Database>): Promise<Attractiveness> {
  return loadAttractivenessConfig(db);
}

/** Saves a validated config, as `gleaner attractiveness set`; cherry-pick reports use it from the next run. */
export async function putAttractiveness(
  db: Kysely<Database>,
  options: { input: Attractiveness; now: number },
): Promise<Attractiveness> {
  return saveAttractivenessConfig(db, { config: options.input, now: options.now });
}
