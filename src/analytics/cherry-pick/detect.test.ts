import { describe, expect, it } from 'vitest';
import { assessGroup, autoBands, bandOf, decideVerdicts, quantileCuts } from './detect.ts';
import type { Table2x2 } from './mantel-haenszel.ts';

const labels = { attractiveLabel: 'VP+ leads', otherLabel: 'manager-level leads' };
const t = (a: number, b: number, c: number, d: number): Table2x2 => ({ a, b, c, d });

describe('assessGroup guards', () => {
  it('gives no verdict from one stratum', () => {
    const r = assessGroup({ key: '1', name: 'Dana', tables: [t(40, 10, 20, 30)] }, labels);
    expect(r.verdict).toBe('not_enough_data');
    expect(r.sentence).toBe('Dana: not enough data: need ≥ 2 score bands with both kinds of lead.');
  });

  it('names every shortfall', () => {
    const r = assessGroup({ key: '1', name: 'Sam', tables: [t(2, 1, 5, 5), t(1, 1, 6, 4)] }, labels);
    expect(r.verdict).toBe('not_enough_data');
    expect(r.sentence).toContain('need ≥ 40 leads in comparable score bands (has 25)');
    expect(r.sentence).toContain('≥ 10 VP+ leads (has 5)');
  });

  it('drops sparse strata with a note and still decides on the rest', () => {
    const r = assessGroup(
      { key: '1', name: 'Dana', tables: [t(0, 0, 3, 3), t(1, 0, 1, 0), t(30, 5, 10, 25), t(28, 6, 12, 22)] },
      labels,
    );
    expect(r.strataDropped).toBe(2);
    expect(r.strataKept).toBe(2);
    expect(r.notes[0]).toBe('2 sparse score band(s) dropped (8 leads): each needs ≥ 4 leads with both kinds');
    expect(r.leads).toBe(138);
  });
});

describe('verdicts', () => {
  it('writes the sentence with same-score rates, OR, CI and adjusted p', () => {
    // Two bands; in each, VP+ leads are worked far more often than others of the same band.
    const dana = assessGroup(
      { key: '1', name: 'Dana', tables: [t(45, 5, 17, 33), t(46, 4, 17, 33)] },
      labels,
    );
    const [verdict] = decideVerdicts([dana]);
    // CI checked with statsmodels StratifiedTable: (8.8146, 43.7043). MH OR = Σad/n / Σbc/n = (45·33 + 46·33)/100 / (5·17 + 4·17)/100 = 3003 / 153.
    expect(verdict!.mantelHaenszel!.oddsRatio).toBeCloseTo(3003 / 153, 10);
    expect(verdict!.verdict).toBe('likely_cherry_picking');
    expect(verdict!.sentence).toBe(
      'Dana worked 91 % of VP+ leads but 34 % of manager-level leads of the same score (odds ratio 19.6, 95 % CI 8.81–43.7, adjusted p < 0.001) — likely cherry-picking.',
    );
  });

  it('adjusts p across groups with Benjamini–Hochberg', () => {
    const groups = [
      assessGroup({ key: '1', name: 'A', tables: [t(30, 20, 25, 25), t(30, 20, 25, 25)] }, labels),
      assessGroup({ key: '2', name: 'B', tables: [t(32, 18, 25, 25), t(32, 18, 25, 25)] }, labels),
    ];
    const out = decideVerdicts(groups);
    const raw = groups.map((g) => g.cmh!.pValue);
    const sorted = [...raw].sort((x, y) => x - y);
    // m = 2: the larger p stays, the smaller becomes min(2·p, larger p).
    expect(Math.max(...out.map((o) => o.adjustedP!))).toBeCloseTo(sorted[1]!, 12);
    expect(Math.min(...out.map((o) => o.adjustedP!))).toBeCloseTo(Math.min(2 * sorted[0]!, sorted[1]!), 12);
  });
});

describe('score bands', () => {
  it('cuts at quantiles and puts a tie into the upper band', () => {
    const cuts = quantileCuts(
      Float64Array.from({ length: 100 }, (_, i) => i),
      4,
    );
    expect([...cuts]).toEqual([25, 50, 75]);
    expect([0, 24.9, 25, 74, 75, 99].map((s) => bandOf(s, cuts))).toEqual([0, 0, 1, 2, 3, 3]);
  });
  it('chooses about 30 leads per band, 5 to 50 bands', () => {
    expect(autoBands([300, 300, 300])).toBe(10);
    expect(autoBands([40])).toBe(5);
    expect(autoBands([100_000])).toBe(50);
  });
});

describe('stratified logistic regression on the arrowhead', () => {
  it('gives the dense IRLS fit to the last bit', async () => {
    const { logisticRegression, stratifiedLogisticRegression } = await import('./logistic.ts');
    const { seededRandom } = await import('./simulate.ts');
    const random = seededRandom(5);
    for (let trial = 0; trial < 40; trial++) {
      const S = 2 + Math.floor(random() * 30);
      const cell = () => Math.floor(random() * (trial % 5 === 0 ? 4 : 60));
      const tables = Array.from({ length: S }, () => ({
        a: cell() + 1,
        b: cell() + 1,
        c: cell(),
        d: cell() + 1,
      }));
      const p = S + 1;
      const x = new Float64Array(2 * S * p);
      const successes = new Float64Array(2 * S);
      const trials = new Float64Array(2 * S);
      tables.forEach((t, s) => {
        x[2 * s * p + s] = 1;
        x[2 * s * p + S] = 1;
        successes[2 * s] = t.a;
        trials[2 * s] = t.a + t.b;
        x[(2 * s + 1) * p + s] = 1;
        successes[2 * s + 1] = t.c;
        trials[2 * s + 1] = t.c + t.d;
      });
      const dense = logisticRegression({ x, columns: p, successes, trials });
      const fast = stratifiedLogisticRegression({
        attractiveWorked: Float64Array.from(tables, (t) => t.a),
        attractiveTrials: Float64Array.from(tables, (t) => t.a + t.b),
        otherWorked: Float64Array.from(tables, (t) => t.c),
        otherTrials: Float64Array.from(tables, (t) => t.c + t.d),
      });
      expect(fast.coefficient).toBe(dense.coefficients[S]);
      expect(fast.standardError).toBe(dense.standardErrors[S]);
      expect(fast.pValue).toBe(dense.pValues[S]);
      expect(fast.converged).toBe(dense.converged);
    }
  });
});
