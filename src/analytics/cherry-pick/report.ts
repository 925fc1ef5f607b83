import {
  type AttractivenessConfig,
  type AttributeKind,
  compileAttractiveness,
  type LeadLooks,
} from '../../attributes/attractiveness.ts';
import type { CompanyTier } from '../../attributes/company.ts';
import type { Seniority } from '../../attributes/title.ts';
import { ascendingOrder, sortedCopy } from '../radix-sort.ts';
import { type CherryPickColumns, columnsFromRows } from './columns.ts';
import {
  assessGroup,
  autoBands,
  bandOf,
  decideVerdicts,
  type GroupAssessment,
  type GroupTables,
  type Guards,
  quantileCutsOfSorted,
} from './detect.ts';
import type { Table2x2 } from './mantel-haenszel.ts';

/** One handed-over lead as the cherry-pick report sees it. */
export type CherryPickLeadRow = {
  leadId: number;
  externalId: string;
  score: number | null;
  title: string | null;
  company: string | null;
  companyDomain: string | null;
  employees: number | null;
  annualRevenue: number | null;
  industry: string | null;
  repId: number | null;
  repName: string | null;
  teamId: number | null;
  teamName: string | null;
  source: string | null;
  handedOverAt: number;
  /** Met the SLA's attempts, or first touch within the SLA. */
  worked: boolean;
  firstTouchAt: number | null;
};

export type CherryPickOptions = {
  rows: readonly CherryPickLeadRow[];
  config: AttractivenessConfig;
  by: 'rep' | 'team';
  attributes: readonly AttributeKind[];
  /** Score bands: a number, or 'auto' (~30 leads per band for the median group, 5–50). */
  bands?: number | 'auto';
  /** Also stratify by lead source and/or hand-over week (ISO week of the hand-over). */
  bySource?: boolean;
  byWeek?: boolean;
  guards?: Partial<Guards>;
  alpha?: number;
  /** "As of" time: never-touched leads are censored here in the time-to-first-touch test. */
  now: number;
  /** Leads at or above this score quantile count as high score for the left-on-the-vine list (default 0.7). */
  highScoreQuantile?: number;
  /** Conversion rate and deal size for revenue at risk (from the SLA/gap reports); null = not priced. */
  conversionRate?: number | null;
  dealSize?: number | null;
  /** How many left-on-the-vine leads to list (all are counted). */
  vineLimit?: number;
};

export type HeatmapCell = {
  group: string;
  dimension: 'seniority' | 'company_tier';
  band: number;
  level: string;
  leads: number;
  worked: number;
  workedRate: number;
};

export type VineLead = {
  leadId: number;
  externalId: string;
  score: number;
  title: string | null;
  company: string | null;
  owner: string | null;
  handedOverAt: number;
};

export type CherryPickReport = {
  by: 'rep' | 'team';
  attributes: AttributeKind[];
  bands: number;
  bandCuts: number[];
  strata: string;
  leads: number;
  leadsWithoutScore: number;
  /** One row per group × attribute, plus the workspace as a whole ("(all)"). */
  assessments: Array<GroupAssessment & { attribute: AttributeKind }>;
  heatmap: HeatmapCell[];
  leftOnTheVine: {
    count: number;
    scoreThreshold: number;
    revenueAtRisk: number | null;
    leads: VineLead[];
    rule: string;
  };
  notes: string[];
};

const WEEK = 7 * 24 * 3_600_000;
const HOUR = 3_600_000;

/** Builds the cherry-pick report from per-lead rows (as columns: the same report as from the store). */
export function buildCherryPickReport(options: CherryPickOptions): CherryPickReport {
  const { rows, ...rest } = options;
  return buildCherryPickReportFromColumns({
    ...rest,
    columns: columnsFromRows(rows, rest.config.company.bands),
  });
}

export type CherryPickColumnOptions = Omit<CherryPickOptions, 'rows'> & { columns: CherryPickColumns };

/**
 * Builds the cherry-pick report from lead columns: one pass into groups and strata, attributes judged
 * once per distinct title, company and industry, then the tests per group.
 */
export function buildCherryPickReportFromColumns(options: CherryPickColumnOptions): CherryPickReport {
  const c = options.columns;
  const compiled = compileAttractiveness(options.config);
  const notes: string[] = [];
  // Leads with a score, as indices into the columns (in their order).
  let n = 0;
  const at = new Int32Array(c.n);
  for (let j = 0; j < c.n; j++) if (Number.isFinite(c.score[j]!)) at[n++] = j;
  const leadsWithoutScore = c.n - n;
  if (leadsWithoutScore > 0)
    notes.push(`${leadsWithoutScore} leads without a score are left out (no score band).`);
  const str = (code: number): string | null => (code < 0 ? null : c.strings[code]!);

  // Groups, numbered in order of first appearance.
  const groupByRep = options.by === 'rep';
  const ids = groupByRep ? c.repId : c.teamId;
  const groupIndex = firstSeenIds(c.n);
  const groupNames: string[] = [];
  const groupOf = new Int32Array(n);
  // Sources, numbered in order of first appearance (null and '(none)' are one source).
  const sourceIndex = new Map<string, number>();
  const sourceOfCode = new Int32Array(c.strings.length).fill(-1);
  let nullSource = -1;
  const sourceOf = new Int32Array(n);
  let minWeek = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const j = at[i]!;
    const id = ids[j]!;
    const g = groupIndex.id(id);
    if (g === groupNames.length) {
      groupNames.push(
        groupByRep
          ? (str(c.repName[j]!) ?? (Number.isNaN(id) ? '(unassigned)' : `rep ${id}`))
          : (str(c.teamName[j]!) ?? '(no team)'),
      );
    }
    groupOf[i] = g;
    const code = c.source[j]!;
    let s = code < 0 ? nullSource : sourceOfCode[code]!;
    if (s < 0) {
      const key = str(code) ?? '(none)';
      s = sourceIndex.get(key) ?? sourceIndex.size;
      sourceIndex.set(key, s);
      if (code < 0) nullSource = s;
      else sourceOfCode[code] = s;
      if (key === '(none)') {
        nullSource = s;
        const none = c.strings.indexOf('(none)');
        if (none >= 0) sourceOfCode[none] = s;
      }
    }
    sourceOf[i] = s;
    minWeek = Math.min(minWeek, Math.floor(c.handedOverAt[j]! / WEEK));
  }
  const groupCounts = new Array<number>(groupNames.length).fill(0);
  for (let i = 0; i < n; i++) groupCounts[groupOf[i]!]! += 1;
  const bands =
    options.bands === undefined || options.bands === 'auto' ? autoBands(groupCounts) : options.bands;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = c.score[at[i]!]!;
  const sortedScores = sortedCopy(scores);
  const cuts = quantileCutsOfSorted(sortedScores, bands);
  const nSources = options.bySource ? sourceIndex.size : 1;
  const stratumOf = new Int32Array(n);
  const bandAt = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const band = bandOf(scores[i]!, cuts);
    bandAt[i] = band;
    const src = options.bySource ? sourceOf[i]! : 0;
    const week = options.byWeek ? Math.floor(c.handedOverAt[at[i]!]! / WEEK) - minWeek : 0;
    stratumOf[i] = band + bands * (src + nSources * week);
  }
  // Compact stratum ids (band × source × week can be sparse); without source or week, the band is the id.
  const stratumIds = firstSeenIds(n);
  for (let i = 0; i < n; i++) stratumOf[i] = stratumIds.id(stratumOf[i]!);
  // Where each group's slice starts in group order (the log-rank inputs below are in that order).
  const groupStart = new Int32Array(groupNames.length + 1);
  for (let i = 0; i < n; i++) groupStart[groupOf[i]! + 1]! += 1;
  for (let g = 0; g < groupNames.length; g++) groupStart[g + 1]! += groupStart[g]!;
  const strata = [
    `${bands} score bands (quantiles of the scores in scope)`,
    options.bySource ? `× ${sourceIndex.size} sources` : '',
    options.byWeek ? '× hand-over week' : '',
  ]
    .filter(Boolean)
    .join(' ');

  // Attributes: seniority once per distinct title, brand once per distinct company name and domain,
  // industry once per distinct industry; each attribute's verdict once per combination it depends on.
  const senioritySeen = new Int8Array(c.strings.length).fill(-1);
  const seniorityOfTitle = (code: number): number => {
    if (code < 0) return seniorityCode.get(compiled.seniorityOf(null))!;
    let s = senioritySeen[code]!;
    if (s < 0) {
      s = seniorityCode.get(compiled.seniorityOf(c.strings[code]!))!;
      senioritySeen[code] = s;
    }
    return s;
  };
  const brandSeen = new Int8Array(c.strings.length).fill(-1);
  const domainSeen = new Int8Array(c.strings.length).fill(-1);
  const brandOf = (company: number, domain: number): boolean => {
    let name = 0;
    if (company >= 0) {
      name = brandSeen[company]!;
      if (name < 0) {
        name = compiled.brandOf(c.strings[company]!, null) ? 1 : 0;
        brandSeen[company] = name;
      }
    }
    if (name === 1 || domain < 0) return name === 1;
    let d = domainSeen[domain]!;
    if (d < 0) {
      d = compiled.brandOf(null, c.strings[domain]!) ? 1 : 0;
      domainSeen[domain] = d;
    }
    return d === 1;
  };
  const looksOf = (seniority: number, tier: number, brand: boolean, industry: string | null): LeadLooks => ({
    seniority: seniorityOrder[seniority]!,
    tier: tierOrder[tier]!,
    brand,
    industry,
  });
  // attractive() per attribute, by seniority code / (brand, tier) / industry code: 1, 0 or -1 (null).
  const verdict = (a: 0 | 1 | null): number => (a === null ? -1 : a);
  const bySeniority = Int8Array.from(seniorityOrder, (_, s) =>
    verdict(compiled.attractive('seniority', looksOf(s, 3, false, null))),
  );
  const byTier = [false, true].map((brand) =>
    Int8Array.from(tierOrder, (_, t) => verdict(compiled.attractive('company', looksOf(5, t, brand, null)))),
  );
  const industrySeen = new Int8Array(c.strings.length).fill(-2);
  const byIndustry = (code: number): number => {
    if (code < 0) return verdict(compiled.attractive('industry', looksOf(5, 3, false, null)));
    let v = industrySeen[code]!;
    if (v === -2) {
      v = verdict(compiled.attractive('industry', looksOf(5, 3, false, c.strings[code]!)));
      industrySeen[code] = v;
    }
    return v;
  };
  const seniorityAt = new Uint8Array(n);
  const tierAt = new Uint8Array(n);
  const attractiveAt = new Map<AttributeKind, Int8Array>();
  for (const kind of options.attributes) attractiveAt.set(kind, new Int8Array(n));
  const seniorityFlags = attractiveAt.get('seniority');
  const companyFlags = attractiveAt.get('company');
  const industryFlags = attractiveAt.get('industry');
  for (let i = 0; i < n; i++) {
    const j = at[i]!;
    const seniority = seniorityOfTitle(c.title[j]!);
    const tier = c.tier[j]!;
    const brand = brandOf(c.company[j]!, c.companyDomain[j]!);
    seniorityAt[i] = seniority;
    tierAt[i] = brand ? 0 : tier;
    if (seniorityFlags) seniorityFlags[i] = bySeniority[seniority]!;
    if (companyFlags) companyFlags[i] = byTier[brand ? 1 : 0]![tier]!;
    if (industryFlags) industryFlags[i] = byIndustry(c.industry[j]!);
  }

  const worked = new Uint8Array(n);
  // Time to first touch in hours; never-touched leads are censored at `now`.
  const hours = new Float64Array(n);
  const touched = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = at[i]!;
    worked[i] = c.worked[j]!;
    const first = c.firstTouchAt[j]!;
    const handedOverAt = c.handedOverAt[j]!;
    if (!Number.isNaN(first) && first <= options.now) {
      hours[i] = Math.max(0, (first - handedOverAt) / HOUR);
      touched[i] = 1;
    } else {
      hours[i] = Math.max(0, (options.now - handedOverAt) / HOUR);
    }
  }

  // Leads by time once (radix, stable), then by group keeping that order (a counting sort): each
  // group's leads are one slice, and every log-rank input comes out sorted.
  const timeIndex = ascendingOrder(hours);
  const groupTimeIndex = new Int32Array(n);
  const cursor = groupStart.slice(0, groupNames.length);
  for (let k = 0; k < n; k++) {
    const i = timeIndex[k]!;
    groupTimeIndex[cursor[groupOf[i]!]!++] = i;
  }
  const byTime = timeOrder(timeIndex, { hours, touched, stratumOf });
  const groupByTime = timeOrder(groupTimeIndex, { hours, touched, stratumOf });
  const assessments: Array<GroupAssessment & { attribute: AttributeKind }> = [];
  for (const kind of options.attributes) {
    const flags = attractiveAt.get(kind)!;
    const labels = compiled.labels(kind);
    const groups = tabulate({
      n,
      groupOf,
      groupNames,
      groupStart,
      byTime,
      groupByTime,
      strata: stratumIds.size,
      stratumOf,
      flags,
      worked,
    });
    const raw = groups.map((g) =>
      assessGroup(g, { ...labels, ...(options.guards ? { guards: options.guards } : {}) }),
    );
    for (const a of raw) assessments.push({ ...a, attribute: kind });
  }
  const decided = decideAcrossAttributes(assessments, options.alpha ?? 0.05);

  const heatmap = buildHeatmap({ n, groupOf, groupNames, bands, bandAt, seniorityAt, tierAt, worked });
  const leftOnTheVine = vine({
    options,
    at,
    scores,
    sorted: sortedScores,
    worked,
    attractiveAt,
    compiledAttrs: options.attributes,
  });
  if (!options.attributes.includes('industry') || options.config.industry.favoured.length === 0) {
    if (options.attributes.includes('industry'))
      notes.push('industry: no favoured industries configured, so no lead counts as attractive by industry.');
  }
  return {
    by: options.by,
    attributes: [...options.attributes],
    bands,
    bandCuts: [...cuts],
    strata,
    leads: n,
    leadsWithoutScore,
    assessments: decided,
    heatmap,
    leftOnTheVine,
    notes,
  };
}

/** Leads in one order (a permutation `index` of 0 … n − 1) with what the log-rank reads, gathered once. */
type TimeOrder = { index: Int32Array; hours: Float64Array; touched: Uint8Array; stratum: Int32Array };

// values[index[k]] for each k; one function per array type keeps each loop monomorphic (measured: a
// generic gather over four typed-array types ran several times slower).
function gatherF64(values: Float64Array, index: Int32Array): Float64Array {
  const out = new Float64Array(index.length);
  for (let k = 0; k < index.length; k++) out[k] = values[index[k]!]!;
  return out;
}
function gatherI32(values: Int32Array, index: Int32Array): Int32Array {
  const out = new Int32Array(index.length);
  for (let k = 0; k < index.length; k++) out[k] = values[index[k]!]!;
  return out;
}
function gatherU8(values: Uint8Array, index: Int32Array): Uint8Array {
  const out = new Uint8Array(index.length);
  for (let k = 0; k < index.length; k++) out[k] = values[index[k]!]!;
  return out;
}
function gatherI8(values: Int8Array, index: Int32Array): Int8Array {
  const out = new Int8Array(index.length);
  for (let k = 0; k < index.length; k++) out[k] = values[index[k]!]!;
  return out;
}

function timeOrder(
  index: Int32Array,
  o: { hours: Float64Array; touched: Uint8Array; stratumOf: Int32Array },
): TimeOrder {
  return {
    index,
    hours: gatherF64(o.hours, index),
    touched: gatherU8(o.touched, index),
    stratum: gatherI32(o.stratumOf, index),
  };
}

function tabulate(o: {
  n: number;
  groupOf: Int32Array;
  groupNames: string[];
  groupStart: Int32Array;
  /** All leads in ascending order of time to first touch, and by group in that order. */
  byTime: TimeOrder;
  groupByTime: TimeOrder;
  strata: number;
  stratumOf: Int32Array;
  flags: Int8Array;
  worked: Uint8Array;
}): GroupTables[] {
  const G = o.groupNames.length;
  const S = o.strata;
  // counts[(group · S + stratum) · 4 + cell], cells a b c d; group G is the whole workspace.
  const counts = new Int32Array((G + 1) * S * 4);
  for (let i = 0; i < o.n; i++) {
    const a = o.flags[i]!;
    if (a < 0) continue;
    const cell = a === 1 ? (o.worked[i] ? 0 : 1) : o.worked[i] ? 2 : 3;
    counts[(o.groupOf[i]! * S + o.stratumOf[i]!) * 4 + cell]! += 1;
    counts[(G * S + o.stratumOf[i]!) * 4 + cell]! += 1;
  }
  const flagsByTime = gatherI8(o.flags, o.byTime.index);
  const flagsByGroupTime = gatherI8(o.flags, o.groupByTime.index);
  const out: GroupTables[] = [];
  // Per stratum: the first (lowest) lead index seen, and the stratum's number in the group.
  const firstAt = new Int32Array(S).fill(-1);
  const local = new Int32Array(S);
  const seen: number[] = [];
  for (let g = 0; g <= G; g++) {
    const tables: Table2x2[] = [];
    for (let s = 0; s < S; s++) {
      const base = (g * S + s) * 4;
      const t = { a: counts[base]!, b: counts[base + 1]!, c: counts[base + 2]!, d: counts[base + 3]! };
      if (t.a + t.b + t.c + t.d > 0) tables.push(t);
    }
    // The group's leads that have the attribute, in ascending order of time (one slice of a
    // presorted order); strata numbered in order of first appearance among the group's leads in
    // column order (the order the log-rank sums them in).
    const p = g === G ? o.byTime : o.groupByTime;
    const flags = g === G ? flagsByTime : flagsByGroupTime;
    const from = g === G ? 0 : o.groupStart[g]!;
    const to = g === G ? o.n : o.groupStart[g + 1]!;
    let m = 0;
    for (let k = from; k < to; k++) {
      if (flags[k]! < 0) continue;
      m++;
      const s = p.stratum[k]!;
      const i = p.index[k]!;
      const first = firstAt[s]!;
      if (first < 0) seen.push(s);
      if (first < 0 || i < first) firstAt[s] = i;
    }
    seen.sort((x, y) => firstAt[x]! - firstAt[y]!);
    for (let r = 0; r < seen.length; r++) local[seen[r]!] = r;
    const time = new Float64Array(m);
    const touched = new Uint8Array(m);
    const attractive = new Uint8Array(m);
    const stratum = new Int32Array(m);
    let j = 0;
    for (let k = from; k < to; k++) {
      const f = flags[k]!;
      if (f < 0) continue;
      time[j] = p.hours[k]!;
      touched[j] = p.touched[k]!;
      attractive[j] = f;
      stratum[j] = local[p.stratum[k]!]!;
      j++;
    }
    for (const s of seen) firstAt[s] = -1;
    seen.length = 0;
    out.push({
      key: g === G ? '(all)' : String(g),
      name: g === G ? 'The whole workspace' : o.groupNames[g]!,
      tables,
      timeToFirstTouch: { time, touched, attractive, stratum, sorted: true },
    });
  }
  return out;
}

// One Benjamini–Hochberg family across groups × attributes; the workspace rows form their own family.
function decideAcrossAttributes(
  assessments: Array<GroupAssessment & { attribute: AttributeKind }>,
  alpha: number,
): Array<GroupAssessment & { attribute: AttributeKind }> {
  const groups = decideVerdicts(
    assessments.filter((a) => a.key !== '(all)'),
    { alpha },
  );
  const workspace = decideVerdicts(
    assessments.filter((a) => a.key === '(all)'),
    { alpha },
  );
  return [...groups, ...workspace];
}

const seniorityOrder: Seniority[] = [
  'c_level',
  'vp',
  'director',
  'manager',
  'individual_contributor',
  'unknown',
];
const tierOrder: CompanyTier[] = ['enterprise', 'mid_market', 'smb', 'unknown'];
const seniorityCode = new Map(seniorityOrder.map((s, i) => [s, i]));

/**
 * Numbers → 0, 1, 2 … in order of first sight (NaN is one key): a table for integers in [0, 4n + 1024),
 * a map for the rest, so a million look-ups of rep ids or strata stay cheap.
 */
function firstSeenIds(n: number) {
  const limit = 4 * n + 1024;
  let table = new Int32Array(0);
  const map = new Map<number, number>();
  let size = 0;
  return {
    get size() {
      return size;
    },
    id(key: number): number {
      if (key >= 0 && key < limit && Number.isInteger(key)) {
        if (key >= table.length) {
          const grown = new Int32Array(Math.min(limit, Math.max(key + 1, 2 * table.length))).fill(-1);
          grown.set(table);
          table = grown;
        }
        let v = table[key]!;
        if (v < 0) {
          v = size++;
          table[key] = v;
        }
        return v;
      }
      let v = map.get(key);
      if (v === undefined) {
        v = size++;
        map.set(key, v);
      }
      return v;
    },
  };
}

function buildHeatmap(o: {
  n: number;
  groupOf: Int32Array;
  groupNames: string[];
  bands: number;
  bandAt: Int32Array;
  seniorityAt: Uint8Array;
  tierAt: Uint8Array;
  worked: Uint8Array;
}): HeatmapCell[] {
  const G = o.groupNames.length;
  const out: HeatmapCell[] = [];
  for (const [dimension, levels, codes] of [
    ['seniority', seniorityOrder, o.seniorityAt],
    ['company_tier', tierOrder, o.tierAt],
  ] as const) {
    const L = levels.length;
    // [group][level][band] × (leads, worked); group G is the whole workspace.
    const counts = new Int32Array((G + 1) * L * o.bands * 2);
    for (let i = 0; i < o.n; i++) {
      const cell = (codes[i]! * o.bands + o.bandAt[i]!) * 2;
      counts[o.groupOf[i]! * L * o.bands * 2 + cell]! += 1;
      counts[o.groupOf[i]! * L * o.bands * 2 + cell + 1]! += o.worked[i]!;
      counts[G * L * o.bands * 2 + cell]! += 1;
      counts[G * L * o.bands * 2 + cell + 1]! += o.worked[i]!;
    }
    for (let g = 0; g <= G; g++) {
      for (let l = 0; l < L; l++) {
        for (let band = 0; band < o.bands; band++) {
          const at = ((g * L + l) * o.bands + band) * 2;
          const leads = counts[at]!;
          if (leads === 0) continue;
          out.push({
            group: g === G ? '(all)' : o.groupNames[g]!,
            dimension,
            band,
            level: levels[l]!,
            leads,
            worked: counts[at + 1]!,
            workedRate: counts[at + 1]! / leads,
          });
        }
      }
    }
  }
  return out;
}

function vine(o: {
  options: CherryPickColumnOptions;
  /** Column index of each scored lead. */
  at: Int32Array;
  scores: Float64Array;
  /** The scores sorted ascending. */
  sorted: Float64Array;
  worked: Uint8Array;
  attractiveAt: Map<AttributeKind, Int8Array>;
  compiledAttrs: readonly AttributeKind[];
}): CherryPickReport['leftOnTheVine'] {
  const c = o.options.columns;
  const q = o.options.highScoreQuantile ?? 0.7;
  const sorted = o.sorted;
  const threshold = sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0;
  const picked: number[] = [];
  for (let i = 0; i < o.scores.length; i++) {
    if (o.worked[i] === 1 || o.scores[i]! < threshold) continue;
    // Unattractive: no attribute in the run marks it attractive, and at least one marks it "other".
    let attractive = false;
    let other = false;
    for (const kind of o.compiledAttrs) {
      const a = o.attractiveAt.get(kind)![i]!;
      if (a === 1) attractive = true;
      if (a === 0) other = true;
    }
    if (!attractive && other) picked.push(i);
  }
  const handedOverAt = (i: number) => c.handedOverAt[o.at[i]!]!;
  picked.sort((x, y) => o.scores[y]! - o.scores[x]! || handedOverAt(x) - handedOverAt(y));
  const rate = o.options.conversionRate ?? null;
  const deal = o.options.dealSize ?? null;
  const str = (code: number): string | null => (code < 0 ? null : c.strings[code]!);
  return {
    count: picked.length,
    scoreThreshold: threshold,
    revenueAtRisk: rate !== null && deal !== null ? picked.length * rate * deal : null,
    rule: `score ≥ ${threshold} (top ${Math.round((1 - q) * 100)} %), not attractive on any assessed attribute, not worked`,
    leads: picked.slice(0, o.options.vineLimit ?? 50).map((i) => {
      const j = o.at[i]!;
      return {
        leadId: c.leadId[j]!,
        externalId: c.externalId?.[j] ?? '',
        score: o.scores[i]!,
        title: str(c.title[j]!),
        company: str(c.company[j]!),
        owner: str(c.repName[j]!),
        handedOverAt: c.handedOverAt[j]!,
      };
    }),
  };
}
