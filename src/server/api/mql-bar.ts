import type { Kysely } from 'kysely';
import { MQL_BAR_KEY, MqlBarSetting } from '../../scoring/nurture.ts';
import { readSetting, writeSetting } from '../../settings/workspace-settings.ts';
import type { Database } from '../../store/schema.ts';
import type { MqlBar } from './settings.types.ts';

/** The MQL bar (no threshold and no events until one is set), as `gleaner score bar show`. */
export async function getMqlBar(db: Kysely<Database>): Promise<MqlBar> {
  return readSetting(db, MQL_BAR_KEY, MqlBarSetting);
}

/** Stores the bar, as `gleaner score bar set`; leads cross it at the next `gleaner score recompute`. */
export async function putMqlBar(
  db: Kysely<Database>,
  options: { input: MqlBar; now: number },
): Promise<MqlBar> {
  await writeSetting(db, { key: MQL_BAR_KEY, value: options.input, now: options.now });
  return getMqlBar(db);
}
