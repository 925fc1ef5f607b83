import { describe, expect, it } from 'vitest';
import { evaluateSla, summarizeTouches, type Touch } from './evaluate.ts';
import { breachWords, explainSla } from './explain.ts';
import { H, hotPolicy, t0 } from './sla-test-fixtures.ts';

const policy = hotPolicy;
const lead = { status: 'mql', handed_over_at: t0, disposition_reason: null, closed_at: null };

const explain = (touches: Touch[], nowHours: number) => {
  const now = t0 + nowHours * H;
  const evaluation = evaluateSla({
    lead,
    policy,
    touches: summarizeTouches(touches),
    now,
    repTimeZone: null,
  });
  return {
    evaluation,
    lines: explainSla({ evaluation, policy, handedOverAt: t0, status: 'mql', touches, now }),
  };
};

describe('explainSla', () => {
  it('says a lead never touched is past its deadline, not that it was touched late', () => {
    const { evaluation, lines } = explain([], 30);
    expect(evaluation.breaches.map((b) => breachWords(b, evaluation, policy, 'mql'))).toEqual([
      'no touch at all, 6 h past the first-touch deadline',
    ]);
    expect(lines).toContain('SLA breached: no touch at all, 6 h past the first-touch deadline.');
    expect(lines).toContain('Flags: never worked.');
  });

  it('says by how much a first touch was late', () => {
    const { lines } = explain([{ at: t0 + 26 * H, kind: 'call' }], 30);
    expect(lines).toContain('SLA breached: first touch 2 h late.');
    expect(lines).toContain('Flags: late first touch (by 2 h).');
  });
});
