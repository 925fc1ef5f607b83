import { DateTime } from 'luxon';
import { badInput } from '../../errors/app-error.ts';

/** Parses an ISO date or date-time flag (zone-less values are UTC) into epoch ms. */
export function parseTimeFlag(value: string, flag: string): number {
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  if (!parsed.isValid)
    throw badInput(
      `${flag} "${value}" is not a date; expected an ISO date such as 2026-01-31 or 2026-01-31T12:00Z`,
    );
  return parsed.toMillis();
}
