import { describe, expect, it } from 'vitest';
import { type Example, explain, trainConversionModel } from './predictive.ts';
import { seededRandom } from './random.ts';

/**
 * A world where conversion depends on seniority and visits, never on industry, but reps ignore most
 * Retail leads (who then never convert in the data). Properly-worked leads show the truth.
 */
function cherryPickedWorld(seed: number, n: number): Example[] {
  const random = seededRandom(seed);
  const industries = ['Software', 'Retail', 'Health', 'Finance'];
  const seniorities = ['cxo', 'vp', 'director', 'manager', 'individual'];
  return Array.from({ length: n }, () => {
    const industry = industries[Math.floor(random() * 4)]!;
    const seniority = seniorities[Math.floor(random() * 5)]!;
    const visits = Math.floor(random() * 10);
    const logit = -2 + (seniority === 'cxo' || seniority === 'vp' ? 1.5 : 0) + 0.25 * visits;
    const wouldConvert = random() < 1 / (1 + Math.exp(-logit));
    const ignored = industry === 'Retail' && random() < 0.7;
    return {
      record: { industry, seniority, visits },
      converted: !ignored && wouldConvert,
      properlyWorked: !ignored,
    };
  });
}

describe('training on properly-worked leads', () => {
  const examples = cherryPickedWorld(21, 3000);
  const columns = ['industry', 'seniority', 'visits'];

  it.each(['logistic', 'gbt'] as const)(
    '%s: trained on properly-worked leads beats training on all, on the same properly-worked hold-out',
    (kind) => {
      const { report } = trainConversionModel({ examples, columns, kind, seed: 3 });
      expect(report.trainedOn.all).toBeGreaterThan(report.trainedOn.properlyWorked);
      expect(report.properlyWorked.n).toBe(report.holdout);
      expect(report.properlyWorked.auc).toBeGreaterThan(report.all!.auc + 0.01);
      expect(report.properlyWorked.logLoss).toBeLessThan(report.all!.logLoss);
    },
  );

  it('is deterministic for a seed (model and metrics identical), and the seed matters', () => {
    const a = trainConversionModel({ examples, columns, kind: 'gbt', seed: 5 });
    const b = trainConversionModel({ examples, columns, kind: 'gbt', seed: 5 });
    const c = trainConversionModel({ examples, columns, kind: 'gbt', seed: 6 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c.report)).not.toBe(JSON.stringify(a.report));
  });

  it('explains a prediction by column, largest contribution first; industry carries ~nothing when trained honestly', () => {
    const { fitted } = trainConversionModel({ examples, columns, kind: 'logistic', seed: 3 });
    const parts = explain(fitted, { industry: 'Retail', seniority: 'vp', visits: 9 });
    expect(parts.map((p) => p.column).sort()).toEqual(['industry', 'seniority', 'visits']);
    expect(Math.abs(parts[0]!.contribution)).toBeGreaterThanOrEqual(Math.abs(parts[2]!.contribution));
    expect(parts.find((p) => p.column === 'industry')!.contribution).toBeGreaterThan(-0.3);
  });
});
