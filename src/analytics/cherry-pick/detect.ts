import { normalSurvival } from './distributions.ts';
import { type LogRankResult, stratifiedLogRank } from './log-rank.ts';
import { stratifiedLogisticRegression } from './logistic.ts';
import {
  breslowDay,
  cochranMantelHaenszel,
  type MantelHaenszelResult,
  mantelHaenszel,
  type Table2x2,
} from './mantel-haenszel.ts';
import { benjaminiHochberg } from './multiple-testing.ts';

/** Sample-size guards: below these a group gets "not enough data" instead of a verdict. */
export type Guards = {
  /** A stratum with fewer leads, or without both attractive and other leads, is dropped (with a note). */
  minStratumLeads: number;
  /** Leads in the kept strata. */
  minLeads: number;
  /** Attractive leads and other leads, each, in the kept strata. */
  minPerGroup: number;
  /** Worked and unworked leads, each (no outcome variation means nothing to compare). */
  minOutcomes: number;
  /** Kept strata: a comparison inside a single score band is not "at equal score" across the range. */
  minStrata: number;
};

export const defaultGuards: Guards = {
  minStratumLeads: 4,
  minLeads: 40,
  minPerGroup: 10,
  minOutcomes: 5,
  minStrata: 2,
};

/** One group's (rep's, team's, workspace's) leads split into score strata. */
export type GroupTables = {
  key: string;
  /** Who, in words: "Dana Smith", "Team West". */
  name: string;
  /** Indexed by stratum; a missing stratum is an empty table. */
  tables: readonly Table2x2[];
  /** Optional time to first touch for the stratified log-rank test (never-touched leads censored). */
  timeToFirstTouch?: {
    time: Float64Array;
    touched: Uint8Array;
    attractive: Uint8Array;
    stratum: Int32Array;
    /** In ascending order of time, strata numbered in the order they are summed (LogRankInput.sorted). */
    sorted?: boolean;
  };
  /** The log-rank test ready to run (instead of timeToFirstTouch): run only when the group is assessed. */
  logRank?: () => LogRankResult;
};

export type Verdict = 'likely_cherry_picking' | 'favours_other_leads' | 'no_evidence' | 'not_enough_data';

export type GroupAssessment = {
  key: string;
  name: string;
  /** How the two kinds of lead are named in sentences ("VP+ leads", "manager/IC leads"). */
  labels: { attractiveLabel: string; otherLabel: string };
  verdict: Verdict;
  sentence: string;
  leads: number;
  attractiveLeads: number;
  otherLeads: number;
  /** Worked share of the attractive leads (kept strata). */
  attractiveWorkedRate: number | null;
  /** Worked share of the other leads, re-weighted to the attractive leads' score mix ("of the same score"). */
  otherWorkedRateAtSameScore: number | null;
  /** Plain worked share of the other leads, for contrast. */
  otherWorkedRate: number | null;
  strataKept: number;
  strataDropped: number;
  notes: string[];
  mantelHaenszel: MantelHaenszelResult | null;
  /** Cochran–Mantel–Haenszel χ² (no continuity correction) and its two-sided p. */
  cmh: {
    statistic: number;
    pValue: number;
    z: number;
    statisticCorrected: number;
    pValueCorrected: number;
  } | null;
  /** p for "attractive leads are worked more" (one-sided CMH), reported beside the two-sided test. */
  pOneSided: number | null;
  breslowDay: { statistic: number; pValue: number; taronePValue: number; df: number } | null;
  /** worked ~ score band + attractive, by IRLS on the strata cells. */
  logistic: { oddsRatio: number; ciLow: number; ciHigh: number; pValue: number; converged: boolean } | null;
  logRank: LogRankResult | null;
  /** Benjamini–Hochberg adjusted two-sided CMH p across every group × attribute in the run. */
  adjustedP: number | null;
};

export type AssessOptions = {
  guards?: Partial<Guards>;
  /** What "attractive" means here, for sentences: "VP+ leads", "brand/large-company leads". */
  attractiveLabel: string;
  otherLabel: string;
  alpha?: number;
};

/** Assesses one group: strata guards, MH odds ratio, CMH, Breslow–Day, logistic regression, log-rank. */
export function assessGroup(group: GroupTables, options: AssessOptions): GroupAssessment {
  const guards = { ...defaultGuards, ...options.guards };
  const kept: Table2x2[] = [];
  const notes: string[] = [];
  let dropped = 0;
  let droppedLeads = 0;
  for (const t of group.tables) {
    const n = t.a + t.b + t.c + t.d;
    if (n === 0) continue;
    const attractive = t.a + t.b;
    const other = t.c + t.d;
    if (n < guards.minStratumLeads || attractive === 0 || other === 0) {
      dropped++;
      droppedLeads += n;
    } else {
      kept.push(t);
    }
  }
  if (dropped > 0) {
    notes.push(
      `${dropped} sparse score band(s) dropped (${droppedLeads} leads): each needs ≥ ${guards.minStratumLeads} leads with both kinds`,
    );
  }
  const sum = (f: (t: Table2x2) => number) => kept.reduce((s, t) => s + f(t), 0);
  const attractiveLeads = sum((t) => t.a + t.b);
  const otherLeads = sum((t) => t.c + t.d);
  const worked = sum((t) => t.a + t.c);
  const leads = attractiveLeads + otherLeads;
  const base = {
    key: group.key,
    name: group.name,
    labels: { attractiveLabel: options.attractiveLabel, otherLabel: options.otherLabel },
    leads,
    attractiveLeads,
    otherLeads,
    attractiveWorkedRate: attractiveLeads > 0 ? sum((t) => t.a) / attractiveLeads : null,
    otherWorkedRate: otherLeads > 0 ? sum((t) => t.c) / otherLeads : null,
    otherWorkedRateAtSameScore: sameScoreRate(kept),
    strataKept: kept.length,
    strataDropped: dropped,
    notes,
    adjustedP: null,
  };
  const shortfalls: string[] = [];
  if (leads < guards.minLeads)
    shortfalls.push(`≥ ${guards.minLeads} leads in comparable score bands (has ${leads})`);
  if (attractiveLeads < guards.minPerGroup)
    shortfalls.push(`≥ ${guards.minPerGroup} ${options.attractiveLabel} (has ${attractiveLeads})`);
  if (otherLeads < guards.minPerGroup)
    shortfalls.push(`≥ ${guards.minPerGroup} ${options.otherLabel} (has ${otherLeads})`);
  if (Math.min(worked, leads - worked) < guards.minOutcomes)
    shortfalls.push(`≥ ${guards.minOutcomes} worked and ≥ ${guards.minOutcomes} unworked leads`);
  if (kept.length < guards.minStrata)
    shortfalls.push(`≥ ${guards.minStrata} score bands with both kinds of lead`);
  if (shortfalls.length > 0) {
    return {
      ...base,
      verdict: 'not_enough_data',
      sentence: `${group.name}: not enough data: need ${shortfalls.join('; ')}.`,
      mantelHaenszel: null,
      cmh: null,
      pOneSided: null,
      breslowDay: null,
      logistic: null,
      logRank: null,
    };
  }
  const mh = mantelHaenszel(kept);
  const plain = cochranMantelHaenszel(kept);
  const corrected = cochranMantelHaenszel(kept, { correction: true });
  const bd = breslowDay(kept);
  const bdTarone = breslowDay(kept, { tarone: true });
  if (bd.pValue < 0.05) notes.push('the odds ratio differs between score bands (Breslow–Day p < 0.05)');
  const ttft = group.timeToFirstTouch;
  return {
    ...base,
    verdict: 'no_evidence',
    sentence: '',
    mantelHaenszel: mh,
    cmh: {
      statistic: plain.statistic,
      pValue: plain.pValue,
      z: plain.z,
      statisticCorrected: corrected.statistic,
      pValueCorrected: corrected.pValue,
    },
    pOneSided: normalSurvival(plain.z),
    breslowDay: { statistic: bd.statistic, pValue: bd.pValue, taronePValue: bdTarone.pValue, df: bd.df },
    logistic: stratifiedLogistic(kept),
    logRank: group.logRank
      ? group.logRank()
      : ttft
        ? stratifiedLogRank({
            time: ttft.time,
            event: ttft.touched,
            group: ttft.attractive,
            stratum: ttft.stratum,
            ...(ttft.sorted ? { sorted: true } : {}),
          })
        : null,
  };
}

/**
 * Adds Benjamini–Hochberg adjusted p-values across all assessments of a run (reps × attributes) and
 * writes the verdicts and sentences. A group is flagged when the adjusted two-sided CMH p < alpha
 * and the odds ratio favours attractive leads.
 */
export function decideVerdicts<T extends GroupAssessment>(
  assessments: readonly T[],
  options: { alpha?: number; multipleTesting?: 'bh' | 'none' } = {},
): T[] {
  const alpha = options.alpha ?? 0.05;
  const raw = assessments.map((a) => a.cmh?.pValue ?? Number.NaN);
  const adjusted = options.multipleTesting === 'none' ? raw : benjaminiHochberg(raw);
  return assessments.map((a, i) => {
    if (a.verdict === 'not_enough_data' || !a.mantelHaenszel) return a;
    const adjustedP = adjusted[i]!;
    const or = a.mantelHaenszel.oddsRatio;
    const significant = adjustedP < alpha;
    const verdict: Verdict = !significant
      ? 'no_evidence'
      : or > 1
        ? 'likely_cherry_picking'
        : 'favours_other_leads';
    return { ...a, adjustedP, verdict, sentence: sentenceFor({ ...a, adjustedP, verdict }) };
  });
}

function sentenceFor(a: GroupAssessment): string {
  const labels = a.labels;
  const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`);
  const mh = a.mantelHaenszel!;
  const stats = `odds ratio ${fmt(mh.oddsRatio)}, 95 % CI ${fmt(mh.ciLow)}–${fmt(mh.ciHigh)}, adjusted p ${formatP(a.adjustedP!)}`;
  const rates = `${pct(a.attractiveWorkedRate)} of ${labels.attractiveLabel}`;
  const others = `${pct(a.otherWorkedRateAtSameScore)} of ${labels.otherLabel} of the same score`;
  switch (a.verdict) {
    case 'likely_cherry_picking':
      return `${a.name} worked ${rates} but ${others} (${stats}) — likely cherry-picking.`;
    case 'favours_other_leads':
      return `${a.name} worked ${rates} and ${others} (${stats}) — favours the less attractive leads, not cherry-picking.`;
    default:
      return `${a.name} worked ${rates} and ${others} (${stats}) — no evidence of cherry-picking.`;
  }
}

const fmt = (x: number): string =>
  x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2).replace(/0$/, '') : x.toFixed(2);

export function formatP(p: number): string {
  if (p < 0.001) return '< 0.001';
  return `= ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

// Σ_s n_attractive,s · rate_other,s / Σ n_attractive,s: the other leads' worked rate at the attractive leads' score mix.
function sameScoreRate(tables: readonly Table2x2[]): number | null {
  let weight = 0;
  let total = 0;
  for (const t of tables) {
    const other = t.c + t.d;
    const attractive = t.a + t.b;
    if (other === 0 || attractive === 0) continue;
    weight += attractive;
    total += (attractive * t.c) / other;
  }
  return weight > 0 ? total / weight : null;
}

// worked ~ band dummies + attractive on the 2 × strata cells. Bands where every lead (or none) was worked
// carry no information on the attractive effect and would separate; they are left out of this fit.
function stratifiedLogistic(tables: readonly Table2x2[]): GroupAssessment['logistic'] {
  const usable = tables.filter((t) => t.a + t.c > 0 && t.b + t.d > 0);
  if (usable.length === 0) return null;
  const fit = stratifiedLogisticRegression({
    attractiveWorked: Float64Array.from(usable, (t) => t.a),
    attractiveTrials: Float64Array.from(usable, (t) => t.a + t.b),
    otherWorked: Float64Array.from(usable, (t) => t.c),
    otherTrials: Float64Array.from(usable, (t) => t.c + t.d),
  });
  const beta = fit.coefficient;
  const se = fit.standardError;
  return {
    oddsRatio: Math.exp(beta),
    ciLow: Math.exp(beta - 1.959963984540054 * se),
    ciHigh: Math.exp(beta + 1.959963984540054 * se),
    pValue: fit.pValue,
    converged: fit.converged,
  };
}

/** Score-band cut points: the deciles (or `bands` quantiles) of the scores of the leads in scope. */
export function quantileCuts(scores: Float64Array, bands: number): Float64Array {
  return quantileCutsOfSorted(Float64Array.from(scores).sort(), bands);
}

/** quantileCuts of scores already sorted ascending. */
export function quantileCutsOfSorted(sorted: Float64Array, bands: number): Float64Array {
  const cuts = new Float64Array(bands - 1);
  for (let k = 1; k < bands; k++) cuts[k - 1] = sorted[Math.floor((k * sorted.length) / bands)] ?? 0;
  return cuts;
}

/** The band (0 … cuts.length) a score falls in; a score equal to a cut goes to the upper band. */
export function bandOf(score: number, cuts: Float64Array): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (score >= cuts[mid]!) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Score bands for a run: about 30 leads per band for the median group, between 5 and 50 bands. More leads
 * need finer bands, or the score differences left inside a band would look like bias (Simpson's trap).
 */
export function autoBands(leadsPerGroup: readonly number[]): number {
  if (leadsPerGroup.length === 0) return 10;
  const sorted = [...leadsPerGroup].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return Math.min(50, Math.max(5, Math.round(median / 30)));
}
