import type { Kysely } from 'kysely';
import { loadScoringRules, saveScoringRules } from '../../scoring/recompute.ts';
import type { Database } from '../../store/schema.ts';
import { ScoringRules } from './settings.types.ts';

/** The workspace's scoring rules (the scoring capability's setting); empty groups when none are saved. */
export async function getScoringRules(db: Kysely<Database>): Promise<ScoringRules> {
  return (await loadScoringRules(db)) ?? ScoringRules.parse({});
}

/** Saves validated rules; scores change when `gleaner score recompute` (or the scheduler) runs. */
export async function putScoringRules(
  db: Kysely<Database>,
  options: { input: ScoringRules; now: number },
): Promise<ScoringRules> {
  await saveScoringRules(db, { rules: options.input, now: options.now });
  return getScoringRules(db);
}
