// "Properly worked" comes from the SLA helper's evaluateLeads (SLA met, or converted). A lead the SLA
// cannot evaluate (no hand-over time, e.g. imported history) falls back to: converted, or at least
// `minTouches` touches in lead_stats.

export const DEFAULT_MIN_TOUCHES = 3;

export function isProperlyWorked(options: {
  /** evaluateLeads' properly_worked for this lead, when the SLA evaluated it. */
  sla?: boolean | undefined;
  touches: number | null;
  converted: boolean;
  minTouches?: number;
}): boolean {
  if (options.converted) return true;
  if (options.sla !== undefined) return options.sla;
  return (options.touches ?? 0) >= (options.minTouches ?? DEFAULT_MIN_TOUCHES);
}
