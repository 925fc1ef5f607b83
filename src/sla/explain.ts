import type { SlaBreach, SlaEvaluation, SlaRule, Touch } from './evaluate.ts';
import type { SlaPolicy } from './policy.ts';

const H = 3_600_000;

/** "45 min", "6.5 h", "3.2 days". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < H) return `${Math.round(abs / 60_000)} min`;
  if (abs < 48 * H) return `${Number((abs / H).toFixed(1))} h`;
  return `${Number((abs / (24 * H)).toFixed(1))} days`;
}

const when = (ms: number | null): string =>
  ms === null ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ').concat(' UTC');

/** One broken rule in words: "first touch 6.5 h late", "attempts not met — short 2 calls". */
export function breachWords(
  b: SlaBreach,
  e: Pick<SlaEvaluation, 'flags'>,
  policy: Pick<SlaPolicy, 'max_gap_days'>,
  status: string,
): string {
  if (b.rule === 'first_touch')
    return e.flags.never_worked
      ? `no touch at all, ${formatDuration(b.by_ms)} past the first-touch deadline`
      : `first touch ${formatDuration(b.by_ms)} late`;
  if (b.rule === 'max_gap')
    return `a gap between touches ran ${formatDuration(b.by_ms)} over the allowed ${policy.max_gap_days} days`;
  const m = b.missing ?? { touches: 0, calls: 0, emails: 0, meetings: 0 };
  const short = [
    m.touches ? `${m.touches} touches` : '',
    m.calls ? `${m.calls} calls` : '',
    m.emails ? `${m.emails} emails` : '',
    m.meetings ? `${m.meetings} meetings` : '',
  ].filter(Boolean);
  return e.flags.premature_close
    ? `closed as ${status} before the attempts were met (premature close) — short ${short.join(', ')}`
    : `attempts not met${b.by_ms > 0 ? ` ${formatDuration(b.by_ms)} after the window closed` : ''} — short ${short.join(', ')}`;
}

/** The policy's rules in one sentence. */
export function describePolicy(policy: SlaPolicy): string {
  const a = policy.attempts;
  const kinds = [
    a.calls ? `${a.calls} call${a.calls > 1 ? 's' : ''}` : '',
    a.emails ? `${a.emails} email${a.emails > 1 ? 's' : ''}` : '',
    a.meetings ? `${a.meetings} meeting${a.meetings > 1 ? 's' : ''}` : '',
  ].filter(Boolean);
  const clock =
    policy.first_touch.clock === 'business'
      ? `business hours (${policy.business_hours?.start ?? '09:00'}–${policy.business_hours?.end ?? '17:00'}, ${
          policy.business_hours?.time_zone === 'rep' || !policy.business_hours
            ? "rep's time zone"
            : policy.business_hours.time_zone
        })`
      : 'hours';
  return [
    `first touch within ${policy.first_touch.within_hours} ${clock} of hand-over`,
    `at least ${a.touches} touches${kinds.length ? ` incl. ${kinds.join(', ')}` : ''} within ${policy.window_days} days`,
    policy.max_gap_days !== undefined ? `at most ${policy.max_gap_days} days between touches` : '',
    `ended early by: ${policy.ends_on.join(', ') || 'nothing'}`,
  ]
    .filter(Boolean)
    .join('; ');
}

const ruleWords: Record<SlaRule, string> = {
  first_touch: 'first touch',
  attempts: 'attempts',
  max_gap: 'gap between touches',
};

/**
 * The SLA state of one lead in sentences, with the timeline of its touches. `leads show ID` and
 * `sla explain ID` print it.
 */
export function explainSla(options: {
  evaluation: SlaEvaluation;
  policy: SlaPolicy;
  handedOverAt: number | null;
  status: string;
  touches: readonly Touch[];
  now: number;
}): string[] {
  const { evaluation: e, policy, handedOverAt } = options;
  const lines: string[] = [`SLA policy "${policy.name}": ${describePolicy(policy)}.`];
  if (e.state === 'not_applicable') {
    lines.push(`SLA state: not applicable — ${e.not_applicable_reason}.`);
    return lines;
  }
  lines.push(
    `Handed over ${when(handedOverAt)}; first touch due ${when(e.first_touch_due_at)}; window ends ${when(e.window_ends_at)}. Status: ${options.status}.`,
  );
  switch (e.state) {
    case 'met':
      lines.push(
        e.attempts_met
          ? 'SLA state: met — every rule held and the attempt minimums were reached.'
          : `SLA state: met — the lead ended as ${e.outcome?.replaceAll('_', ' ')} with no rule broken before.`,
      );
      break;
    case 'pending':
      lines.push('SLA state: pending — the clock is running and nothing is due within the warning window.');
      break;
    case 'at_risk':
      lines.push(
        `SLA state: at risk — ${ruleWords[e.at_risk!.rule]} due ${when(e.at_risk!.due_at)} (in ${formatDuration(e.at_risk!.due_at - options.now)}).`,
      );
      break;
    case 'breached':
      lines.push(`SLA state: breached — ${e.breaches.map((b) => ruleWords[b.rule]).join(', ')}.`);
      for (const b of e.breaches) lines.push(`SLA breached: ${breachWords(b, e, policy, options.status)}.`);
      break;
  }
  const flags = [
    e.flags.never_worked ? 'never worked' : '',
    // A lead never touched is past its deadline, not touched late: "never worked" says it.
    e.flags.late_first_touch && e.flags.late_by_ms !== null && !e.flags.never_worked
      ? `late first touch (by ${formatDuration(e.flags.late_by_ms)})`
      : '',
    e.flags.premature_close ? 'premature close' : '',
  ].filter(Boolean);
  if (flags.length) lines.push(`Flags: ${flags.join(', ')}.`);
  const sorted = [...options.touches].sort((a, b) => a.at - b.at);
  if (sorted.length === 0) {
    lines.push('Touches: none.');
    return lines;
  }
  lines.push(`Touches (${sorted.length}):`);
  sorted.forEach((t, i) => {
    const since =
      i === 0
        ? handedOverAt === null
          ? ''
          : ` (${formatDuration(t.at - handedOverAt)} after hand-over${e.first_touch_due_at !== null && t.at > e.first_touch_due_at ? ', late' : ''})`
        : ` (+${formatDuration(t.at - sorted[i - 1]!.at)}${
            policy.max_gap_days !== undefined && t.at - sorted[i - 1]!.at > policy.max_gap_days * 24 * H
              ? `, gap over ${policy.max_gap_days} days`
              : ''
          })`;
    lines.push(`  ${i + 1}. ${when(t.at)}  ${t.kind}${since}`);
  });
  return lines;
}
