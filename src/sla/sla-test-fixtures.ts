import { SlaPolicy } from './policy.ts';

/** Shared by the SLA tests: an hour, a Monday 09:00 UTC hand-over, and a hot-lead policy. */
export const H = 3_600_000;
export const t0 = Date.UTC(2026, 0, 5, 9, 0, 0);

export const hotPolicy = SlaPolicy.parse({
  name: 'hot',
  first_touch: { within_hours: 24 },
  attempts: { touches: 4, calls: 2, emails: 1 },
  max_gap_days: 3,
  window_days: 14,
  warning_hours: 4,
});
