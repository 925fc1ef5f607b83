import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ascendingOrder } from '../radix-sort.ts';
import { stratifiedLogRank } from './log-rank.ts';
import { logisticRegression } from './logistic.ts';
import { breslowDay, cochranMantelHaenszel, mantelHaenszel, type Table2x2 } from './mantel-haenszel.ts';
import { benjaminiHochberg } from './multiple-testing.ts';

// Values computed once by scripts/reference/cherry_pick_reference.py with Debian's statsmodels 0.13.5.
const dir = join(import.meta.dirname, '../../../test-fixtures/cherry-pick');
const stat = z.object({ statistic: z.number(), pvalue: z.number() });
const reference = z
  .object({
    worlds: z.record(
      z.string(),
      z.object({
        stratified: z.object({
          tables: z.array(z.array(z.number()).length(4)),
          oddsratio_pooled: z.number(),
          logodds_pooled_se: z.number(),
          oddsratio_pooled_confint: z.tuple([z.number(), z.number()]),
          test_null_odds: stat,
          test_null_odds_corrected: stat,
          test_equal_odds: stat,
          test_equal_odds_tarone: stat,
        }),
        logit: z.object({
          params: z.array(z.number()),
          bse: z.array(z.number()),
          pvalues: z.array(z.number()),
          llf: z.number(),
        }),
        logrank: z.object({ stratified: stat, unstratified: stat }),
      }),
    ),
    benjamini_hochberg: z.object({ pvalues: z.array(z.number()), adjusted: z.array(z.number()) }),
  })
  .parse(JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')));

type Lead = {
  stratum: number;
  score: number;
  attractive: number;
  worked: number;
  source: string;
  hours: number;
  touched: number;
};

function readWorld(name: string): Lead[] {
  const [, ...lines] = readFileSync(join(dir, `${name}.csv`), 'utf8')
    .trim()
    .split('\n');
  return lines.map((line) => {
    const [stratum, score, attractive, worked, source, hours, touched] = line.split(',');
    return {
      stratum: Number(stratum),
      score: Number(score),
      attractive: Number(attractive),
      worked: Number(worked),
      source: source ?? '',
      hours: Number(hours),
      touched: Number(touched),
    };
  });
}

function tablesOf(leads: Lead[]): Table2x2[] {
  const strata = Math.max(...leads.map((l) => l.stratum)) + 1;
  const tables = Array.from({ length: strata }, () => ({ a: 0, b: 0, c: 0, d: 0 }));
  for (const l of leads) {
    const t = tables[l.stratum]!;
    if (l.attractive && l.worked) t.a++;
    else if (l.attractive) t.b++;
    else if (l.worked) t.c++;
    else t.d++;
  }
  return tables;
}

const close = (actual: number, expected: number) => {
  // ≤ 1e-6 relative; p-values below 1e-12 are compared absolutely (statsmodels' 1 − cdf loses them).
  if (Math.abs(expected) < 1e-12) expect(Math.abs(actual - expected)).toBeLessThan(1e-12);
  else expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(1e-6);
};

describe.each(Object.keys(reference.worlds))('cherry-pick statistics match statsmodels on %s', (name) => {
  const ref = reference.worlds[name]!;
  const leads = readWorld(name);
  const tables = tablesOf(leads);

  it('builds the same 2×2 tables from the CSV as the reference', () => {
    expect(tables.map((t) => [t.a, t.b, t.c, t.d])).toEqual(ref.stratified.tables);
  });

  it('Mantel–Haenszel odds ratio and Robins–Breslow–Greenland CI', () => {
    const mh = mantelHaenszel(tables);
    close(mh.oddsRatio, ref.stratified.oddsratio_pooled);
    close(mh.logSe, ref.stratified.logodds_pooled_se);
    close(mh.ciLow, ref.stratified.oddsratio_pooled_confint[0]);
    close(mh.ciHigh, ref.stratified.oddsratio_pooled_confint[1]);
  });

  it('CMH test with and without continuity correction', () => {
    const plain = cochranMantelHaenszel(tables);
    close(plain.statistic, ref.stratified.test_null_odds.statistic);
    close(plain.pValue, ref.stratified.test_null_odds.pvalue);
    const corrected = cochranMantelHaenszel(tables, { correction: true });
    close(corrected.statistic, ref.stratified.test_null_odds_corrected.statistic);
    close(corrected.pValue, ref.stratified.test_null_odds_corrected.pvalue);
  });

  it('Breslow–Day, plain and with Tarone’s correction (statsmodels adjust=True)', () => {
    const bd = breslowDay(tables);
    close(bd.statistic, ref.stratified.test_equal_odds.statistic);
    close(bd.pValue, ref.stratified.test_equal_odds.pvalue);
    const tarone = breslowDay(tables, { tarone: true });
    close(tarone.statistic, ref.stratified.test_equal_odds_tarone.statistic);
    close(tarone.pValue, ref.stratified.test_equal_odds_tarone.pvalue);
  });

  it('logistic regression by IRLS: coefficients, standard errors, Wald p-values', () => {
    const columns = 5;
    const x = new Float64Array(leads.length * columns);
    const y = new Float64Array(leads.length);
    leads.forEach((l, i) => {
      x.set(
        [1, l.score / 100, l.attractive, l.source === 'webinar' ? 1 : 0, l.source === 'partner' ? 1 : 0],
        i * columns,
      );
      y[i] = l.worked;
    });
    const fit = logisticRegression({ x, columns, successes: y });
    expect(fit.converged).toBe(true);
    ref.logit.params.forEach((v, j) => {
      close(fit.coefficients[j]!, v);
    });
    ref.logit.bse.forEach((v, j) => {
      close(fit.standardErrors[j]!, v);
    });
    ref.logit.pvalues.forEach((v, j) => {
      close(fit.pValues[j]!, v);
    });
    close(fit.logLikelihood, ref.logit.llf);
  });

  it('log-rank test of time to first touch, stratified and not, never-touched censored', () => {
    const time = Float64Array.from(leads, (l) => l.hours);
    const event = Uint8Array.from(leads, (l) => l.touched);
    const group = Uint8Array.from(leads, (l) => l.attractive);
    const stratum = Int32Array.from(leads, (l) => l.stratum);
    const stratified = stratifiedLogRank({ time, event, group, stratum });
    close(stratified.statistic, ref.logrank.stratified.statistic);
    close(stratified.pValue, ref.logrank.stratified.pvalue);
    const pooled = stratifiedLogRank({ time, event, group });
    close(pooled.statistic, ref.logrank.unstratified.statistic);
    close(pooled.pValue, ref.logrank.unstratified.pvalue);
    // Presorted input (ascending time, strata renumbered in order of first appearance): the same bits.
    const seen = new Map<number, number>();
    for (const s of stratum) if (!seen.has(s)) seen.set(s, seen.size);
    const order = ascendingOrder(time);
    const sorted = stratifiedLogRank({
      time: Float64Array.from(order, (i) => time[i]!),
      event: Uint8Array.from(order, (i) => event[i]!),
      group: Uint8Array.from(order, (i) => group[i]!),
      stratum: Int32Array.from(order, (i) => seen.get(stratum[i]!)!),
      sorted: true,
    });
    expect(sorted).toEqual(stratified);
  });
});

describe('Benjamini–Hochberg', () => {
  it('matches statsmodels multipletests(fdr_bh)', () => {
    const adjusted = benjaminiHochberg(reference.benjamini_hochberg.pvalues);
    reference.benjamini_hochberg.adjusted.forEach((v, i) => {
      close(adjusted[i]!, v);
    });
  });
  it('keeps NaN entries out of the count', () => {
    expect(benjaminiHochberg([0.01, Number.NaN, 0.04])).toEqual([0.02, Number.NaN, 0.04]);
  });
});

describe('logistic regression on grouped rows', () => {
  it('gives the same fit as the leads one by one', () => {
    const leads = readWorld('world-a');
    const columns = 3;
    const x = new Float64Array(leads.length * columns);
    const y = new Float64Array(leads.length);
    const cells = new Map<string, { s: number; n: number; row: number[] }>();
    leads.forEach((l, i) => {
      const row = [1, l.stratum, l.attractive];
      x.set(row, i * columns);
      y[i] = l.worked;
      const key = row.join();
      const cell = cells.get(key) ?? { s: 0, n: 0, row };
      cell.s += l.worked;
      cell.n += 1;
      cells.set(key, cell);
    });
    const single = logisticRegression({ x, columns, successes: y });
    const list = [...cells.values()];
    const grouped = logisticRegression({
      x: Float64Array.from(list.flatMap((c) => c.row)),
      columns,
      successes: Float64Array.from(list, (c) => c.s),
      trials: Float64Array.from(list, (c) => c.n),
    });
    for (let j = 0; j < columns; j++) {
      expect(grouped.coefficients[j]).toBeCloseTo(single.coefficients[j]!, 9);
      expect(grouped.standardErrors[j]).toBeCloseTo(single.standardErrors[j]!, 9);
    }
  });
});
