import type { Kysely } from 'kysely';
import { REASON_CODES_KEY, ReasonCodesSetting } from '../../lifecycle/reason-codes.ts';
import { readSetting, writeSetting } from '../../settings/workspace-settings.ts';
import type { Database } from '../../store/schema.ts';
import type { ReasonCodes } from './settings.types.ts';

/** The workspace's reason codes (the defaults until set), as `gleaner reasons list`. */
export async function getReasonCodes(db: Kysely<Database>): Promise<ReasonCodes> {
  return readSetting(db, REASON_CODES_KEY, ReasonCodesSetting);
}

/** Replaces the reason codes, as `gleaner reasons set`; queue actions accept only these from now on. */
export async function putReasonCodes(
  db: Kysely<Database>,
  options: { input: ReasonCodes; now: number },
): Promise<ReasonCodes> {
  await writeSetting(db, { key: REASON_CODES_KEY, value: options.input, now: options.now });
  return getReasonCodes(db);
}
