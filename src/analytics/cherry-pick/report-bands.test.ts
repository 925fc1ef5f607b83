import { describe, expect, it } from 'vitest';
import { defaultAttractivenessConfig } from '../../attributes/attractiveness.ts';
import { bandOf } from './detect.ts';
import { buildCherryPickReport, type CherryPickLeadRow } from './report.ts';
import { seededRandom } from './simulate.ts';

const H = 3_600_000;
const START = Date.UTC(2026, 2, 3, 10);
const NOW = START + 60 * 24 * H;

function rows(score: (i: number, r: () => number) => number): CherryPickLeadRow[] {
  const random = seededRandom(77);
  return Array.from({ length: 6000 }, (_, i) => {
    const vp = random() < 0.35;
    const handedOverAt = START + Math.floor(random() * 40 * 24) * H;
    const worked = random() < 0.5;
    return {
      leadId: i + 1,
      externalId: `L${i + 1}`,
      score: score(i, random),
      title: vp ? 'VP Sales' : 'Sales Manager',
      company: null,
      companyDomain: null,
      employees: 50 + (i % 4000),
      annualRevenue: null,
      industry: null,
      repId: 1 + (i % 7),
      repName: `Rep ${1 + (i % 7)}`,
      teamId: 1,
      teamName: 'West',
      source: i % 3 === 0 ? 'web' : 'partner',
      handedOverAt,
      worked,
      firstTouchAt: worked ? handedOverAt + Math.floor(random() * 30) * H : null,
    };
  });
}

const build = (leads: CherryPickLeadRow[]) =>
  buildCherryPickReport({
    rows: leads,
    config: defaultAttractivenessConfig,
    by: 'rep',
    attributes: ['seniority', 'company'],
    now: NOW,
    bySource: true,
  });

describe('score bands of the leads', () => {
  it.each([
    ['integer scores (looked up in a table)', (_: number, r: () => number) => Math.round(100 * r())],
    ['negative integer scores', (_: number, r: () => number) => Math.round(100 * r()) - 40],
    ['fractional scores', (_: number, r: () => number) => Math.round(1000 * r()) / 10],
  ])('puts each lead in its bandOf band: %s', (_, score) => {
    const leads = rows(score);
    const report = build(leads);
    const cuts = Float64Array.from(report.bandCuts);
    // The heatmap's leads per rep × band × seniority, counted here from bandOf.
    const want = new Map<string, number>();
    for (const l of leads) {
      const key = `${l.repName}|${bandOf(l.score!, cuts)}|${l.title === 'VP Sales' ? 'vp' : 'manager'}`;
      want.set(key, (want.get(key) ?? 0) + 1);
    }
    const got = new Map(
      report.heatmap
        .filter((h) => h.dimension === 'seniority' && h.group !== '(all)')
        .map((h) => [`${h.group}|${h.band}|${h.level}`, h.leads]),
    );
    expect(got).toEqual(want);
    expect(report.bands).toBeGreaterThan(4);
  });

  it('gives the same bands to scores shifted by a half (no table) as to the integers', () => {
    const whole = rows((_, r) => Math.round(100 * r()));
    const half = whole.map((l) => ({ ...l, score: l.score! + 0.5 }));
    const a = build(whole);
    const b = build(half);
    expect(b.bandCuts).toEqual(a.bandCuts.map((x) => x + 0.5));
    expect(b.heatmap).toEqual(a.heatmap);
    expect(b.assessments).toEqual(a.assessments);
  });
});
