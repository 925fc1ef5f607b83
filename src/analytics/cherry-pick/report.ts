import {
  type AttractivenessConfig,
  type AttributeKind,
  compileAttractiveness,
  type LeadLooks,
} from '../../attributes/attractiveness.ts';
import type { CompanyTier } from '../../attributes/company.ts';
import type { Seniority } from '../../attributes/title.ts';
import { ascendingOrder, ascendingOrderOfIntegers, valuesAtRanks } from '../radix-sort.ts';
import { type CherryPickColumns, columnsFromRows } from './columns.ts';
import {
  assessGroup,
  autoBands,
  bandOf,
  decideVerdicts,
  type GroupAssessment,
  type GroupTables,
  type Guards,
} from './detect.ts';
import { logRankOfRuns } from './log-rank.ts';
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
  const prepared = prepareCherryPick(options);
  return prepared.assemble(prepared.attributes.map(assessAttribute), prepared.extras());
}

/**
 * buildCherryPickReportFromColumns with the last attribute's groups assessed by `elsewhere` (another
 * thread) while this one assesses the others and builds the heatmap and the vine: the same report.
 * When `elsewhere` fails, that attribute is assessed here.
 */
export async function buildCherryPickReportSplit(
  options: CherryPickColumnOptions,
  elsewhere: (input: AttributeAssessmentInput) => Promise<GroupAssessment[]>,
): Promise<CherryPickReport> {
  const prepared = prepareCherryPick(options);
  const inputs = prepared.attributes;
  const last = inputs[inputs.length - 1];
  if (inputs.length < 2 || !last) return buildCherryPickReportFromColumns(options);
  const away = elsewhere(last).then(
    (a) => a,
    () => null,
  );
  const here = inputs.slice(0, -1).map(assessAttribute);
  const extras = prepared.extras();
  const there = (await away) ?? assessAttribute(last);
  return prepared.assemble([...here, there], extras);
}

/** What assessing one attribute's groups reads (plain data: it can be sent to another thread). */
export type AttributeAssessmentInput = {
  groupNames: string[];
  strata: number;
  byStratum: Ordered;
  byGroup: Ordered;
  runs: GroupRuns;
  flags: Int8Array;
  labels: { attractiveLabel: string; otherLabel: string };
  guards?: Partial<Guards>;
};

/** Every group's (and the workspace's) assessment on one attribute, before the verdicts. */
export function assessAttribute(input: AttributeAssessmentInput): GroupAssessment[] {
  return tabulate(input).map((g) =>
    assessGroup(g, { ...input.labels, ...(input.guards ? { guards: input.guards } : {}) }),
  );
}

/**
 * The report up to the tests: per attribute, what assessing its groups reads; the heatmap and the
 * vine (`extras`); and `assemble`, which takes each attribute's assessments (in `attributes` order).
 */
function prepareCherryPick(options: CherryPickColumnOptions): {
  attributes: AttributeAssessmentInput[];
  extras: () => { heatmap: HeatmapCell[]; leftOnTheVine: CherryPickReport['leftOnTheVine'] };
  assemble: (
    raws: GroupAssessment[][],
    extras: { heatmap: HeatmapCell[]; leftOnTheVine: CherryPickReport['leftOnTheVine'] },
  ) => CherryPickReport;
} {
  const c = options.columns;
  const compiled = compileAttractiveness(options.config);
  const notes: string[] = [];
  const str = (code: number): string | null => (code < 0 ? null : c.strings[code]!);
  // One pass over the leads with a score (n of them, as indices `at` into the columns, in their
  // order): groups and sources numbered in order of first appearance (null and '(none)' are one
  // source), the scores, and whether they are all integers (for the band look-up below).
  const groupByRep = options.by === 'rep';
  const ids = groupByRep ? c.repId : c.teamId;
  const groupIndex = firstSeenIds(c.n);
  const groupNames: string[] = [];
  const groupCounts: number[] = [];
  const sourceIndex = new Map<string, number>();
  const sourceOfCode = new Int32Array(c.strings.length).fill(-1);
  let nullSource = -1;
  const atAll = new Int32Array(c.n);
  const groupOfAll = new Int32Array(c.n);
  const sourceOfAll = new Int32Array(c.n);
  const scoresAll = new Float64Array(c.n);
  let minWeek = Number.POSITIVE_INFINITY;
  let integral = true;
  let minScore = Number.POSITIVE_INFINITY;
  let maxScore = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (let j = 0; j < c.n; j++) {
    const score = c.score[j]!;
    if (!Number.isFinite(score)) continue;
    const i = n++;
    atAll[i] = j;
    scoresAll[i] = score;
    if (integral && !Number.isInteger(score)) integral = false;
    if (score < minScore) minScore = score;
    if (score > maxScore) maxScore = score;
    const id = ids[j]!;
    const g = groupIndex.id(id);
    if (g === groupNames.length) {
      groupNames.push(
        groupByRep
          ? (str(c.repName[j]!) ?? (Number.isNaN(id) ? '(unassigned)' : `rep ${id}`))
          : (str(c.teamName[j]!) ?? '(no team)'),
      );
      groupCounts.push(0);
    }
    groupOfAll[i] = g;
    groupCounts[g]! += 1;
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
    sourceOfAll[i] = s;
    if (options.byWeek) minWeek = Math.min(minWeek, Math.floor(c.handedOverAt[j]! / WEEK));
  }
  const at = atAll.subarray(0, n);
  const groupOf = groupOfAll.subarray(0, n);
  const sourceOf = sourceOfAll.subarray(0, n);
  const scores = scoresAll.subarray(0, n);
  const leadsWithoutScore = c.n - n;
  if (leadsWithoutScore > 0)
    notes.push(`${leadsWithoutScore} leads without a score are left out (no score band).`);
  const bands =
    options.bands === undefined || options.bands === 'auto' ? autoBands(groupCounts) : options.bands;
  // The band cuts (quantileCutsOfSorted) and the vine's threshold: the scores at their ranks.
  const cuts = new Float64Array(bands - 1);
  const highScoreQuantile = options.highScoreQuantile ?? 0.7;
  const ranks = Array.from(cuts, (_, k) => Math.floor(((k + 1) * n) / bands));
  ranks.push(Math.min(n - 1, Math.floor(highScoreQuantile * n)));
  const ranked = n > 0 ? valuesAtRanks(scores, ranks) : null;
  if (ranked) cuts.set(ranked.subarray(0, cuts.length));
  const vineThreshold = ranked ? ranked[cuts.length]! : 0;
  // Integer scores in a modest range: each score's band (bandOf) from a table, looked up once.
  const bandTable =
    integral && n > 0 && maxScore - minScore <= 4 * n + 1024
      ? Int32Array.from({ length: maxScore - minScore + 1 }, (_, v) => bandOf(minScore + v, cuts))
      : null;
  const nSources = options.bySource ? sourceIndex.size : 1;
  // Stratum ids in order of first appearance (band × source × week can be sparse).
  const stratumIds = firstSeenIds(n);
  const stratumOf = new Int32Array(n);
  const bandAt = new Int32Array(n);
  // Strata of bands alone (the default): numbered through a table of the bands, in the same order of
  // first sight (the general look-up per lead cost ~10 ms a million leads).
  const bandsAlone = !options.bySource && !options.byWeek;
  const stratumOfBand = new Int32Array(bandsAlone ? bands : 0).fill(-1);
  let bandStrata = 0;
  for (let i = 0; i < n; i++) {
    const band = bandTable ? bandTable[(scores[i]! - minScore) | 0]! : bandOf(scores[i]!, cuts);
    bandAt[i] = band;
    if (bandsAlone) {
      let s = stratumOfBand[band]!;
      if (s < 0) {
        s = bandStrata++;
        stratumOfBand[band] = s;
      }
      stratumOf[i] = s;
      continue;
    }
    const src = options.bySource ? sourceOf[i]! : 0;
    const week = options.byWeek ? Math.floor(c.handedOverAt[at[i]!]! / WEEK) - minWeek : 0;
    stratumOf[i] = stratumIds.id(band + bands * (src + nSources * week));
  }
  const strataCount = bandsAlone ? bandStrata : stratumIds.size;
  // Where each group's leads start in group order.
  const groupStart = new Int32Array(groupNames.length + 1);
  for (let g = 0; g < groupNames.length; g++) groupStart[g + 1] = groupStart[g]! + groupCounts[g]!;
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
  const worked = new Uint8Array(n);
  // Time to first touch in hours; never-touched leads are censored at `now`.
  const hours = new Float64Array(n);
  const touched = new Uint8Array(n);
  // The same order as the hours' (a monotone map of them): whole milliseconds sort in fewer passes.
  const timeKeys = new Float64Array(n);
  let maxTimeKey = 0;
  let integerTimes = true;
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
    worked[i] = c.worked[j]!;
    const first = c.firstTouchAt[j]!;
    const handedOverAt = c.handedOverAt[j]!;
    const touch = !Number.isNaN(first) && first <= options.now;
    const ms = (touch ? first : options.now) - handedOverAt;
    hours[i] = Math.max(0, ms / HOUR);
    touched[i] = touch ? 1 : 0;
    const key = ms > 0 ? ms : 0;
    timeKeys[i] = key;
    if (key > maxTimeKey) maxTimeKey = key;
    if (integerTimes && !Number.isSafeInteger(ms)) integerTimes = false;
  }

  // Leads by time once (radix), then by stratum and by group keeping that order (counting sorts):
  // each stratum's leads, and each group's in each stratum, are one run in ascending time, as the
  // log-rank walks them.
  const timeIndex = integerTimes ? ascendingOrderOfIntegers(timeKeys, maxTimeKey) : ascendingOrder(hours);
  const G = groupNames.length;
  const S = strataCount;
  // What the tests read, gathered once into time order, then carried along by each counting sort.
  const inTime = {
    index: timeIndex,
    hours: gatherF64(hours, timeIndex),
    touched: gatherU8(touched, timeIndex),
    worked: gatherU8(worked, timeIndex),
  };
  const byStratum = sortCarrying(inTime, {
    key: gatherI32(stratumOf, timeIndex),
    keys: S,
    other: gatherI32(groupOf, timeIndex),
  });
  const byGroup = sortCarrying(byStratum, { key: byStratum.other, keys: G, other: byStratum.key });
  const runs = groupRuns({ groupStart, stratumInGroupOrder: byGroup.other, groups: G });
  const strip = (o: Ordered): Ordered => ({
    index: o.index,
    start: o.start,
    hours: o.hours,
    touched: o.touched,
    worked: o.worked,
  });
  const attributes = options.attributes.map(
    (kind): AttributeAssessmentInput => ({
      groupNames,
      strata: S,
      byStratum: strip(byStratum),
      byGroup: strip(byGroup),
      runs,
      flags: attractiveAt.get(kind)!,
      labels: compiled.labels(kind),
      ...(options.guards ? { guards: options.guards } : {}),
    }),
  );
  const extras = () => ({
    heatmap: buildHeatmap({ n, groupOf, groupNames, bands, bandAt, seniorityAt, tierAt, worked }),
    leftOnTheVine: vine({
      options,
      at,
      scores,
      threshold: vineThreshold,
      worked,
      attractiveAt,
      compiledAttrs: options.attributes,
    }),
  });
  const assemble = (
    raws: GroupAssessment[][],
    { heatmap, leftOnTheVine }: ReturnType<typeof extras>,
  ): CherryPickReport => {
    const assessments: Array<GroupAssessment & { attribute: AttributeKind }> = [];
    options.attributes.forEach((kind, k) => {
      for (const a of raws[k]!) assessments.push({ ...a, attribute: kind });
    });
    const decided = decideAcrossAttributes(assessments, options.alpha ?? 0.05);
    if (!options.attributes.includes('industry') || options.config.industry.favoured.length === 0) {
      if (options.attributes.includes('industry'))
        notes.push(
          'industry: no favoured industries configured, so no lead counts as attractive by industry.',
        );
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
  };
  return { attributes, extras, assemble };
}

/**
 * Leads in one order (a permutation `index` of 0 … n − 1) with what the tests read gathered in it;
 * `start[k]` is where the leads of key k (stratum, or group) begin.
 */
export type Ordered = {
  index: Int32Array;
  start: Int32Array;
  hours: Float64Array;
  touched: Uint8Array;
  worked: Uint8Array;
};

/**
 * The leads (`from`, each array in one order) stably re-sorted by `key` ∈ [0, keys) (a counting
 * sort), carrying every array along (each read in order, none looked up by lead); `start[k]` is
 * where key k's leads begin. `key` and `other` (the next sort's key, or anything else to carry)
 * come out in the new order too.
 */
function sortCarrying(
  from: Pick<Ordered, 'index' | 'hours' | 'touched' | 'worked'>,
  by: { key: Int32Array; keys: number; other: Int32Array },
): Ordered & { key: Int32Array; other: Int32Array } {
  const n = from.index.length;
  const start = new Int32Array(by.keys + 1);
  for (let k = 0; k < n; k++) start[by.key[k]! + 1]! += 1;
  for (let k = 0; k < by.keys; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, by.keys);
  const out = {
    index: new Int32Array(n),
    start,
    hours: new Float64Array(n),
    touched: new Uint8Array(n),
    worked: new Uint8Array(n),
    key: new Int32Array(n),
    other: new Int32Array(n),
  };
  for (let k = 0; k < n; k++) {
    const key = by.key[k]!;
    const at = fill[key]!++;
    out.index[at] = from.index[k]!;
    out.hours[at] = from.hours[k]!;
    out.touched[at] = from.touched[k]!;
    out.worked[at] = from.worked[k]!;
    out.key[at] = key;
    out.other[at] = by.other[k]!;
  }
  return out;
}

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

/**
 * The runs of leads of one group and stratum in the group order (by group, then stratum, then
 * time): run r spans [from[r], from[r + 1]) with stratum stratum[r]; group g's runs are
 * first[g] … first[g + 1] − 1, in ascending stratum.
 */
export type GroupRuns = { from: Int32Array; stratum: Int32Array; first: Int32Array };

function groupRuns(o: {
  groupStart: Int32Array;
  stratumInGroupOrder: Int32Array;
  groups: number;
}): GroupRuns {
  const from: number[] = [];
  const stratum: number[] = [];
  const first = new Int32Array(o.groups + 1);
  for (let g = 0; g < o.groups; g++) {
    first[g] = from.length;
    let last = -1;
    for (let k = o.groupStart[g]!; k < o.groupStart[g + 1]!; k++) {
      const s = o.stratumInGroupOrder[k]!;
      if (s !== last) {
        from.push(k);
        stratum.push(s);
        last = s;
      }
    }
  }
  first[o.groups] = from.length;
  from.push(o.groupStart[o.groups]!);
  return { from: Int32Array.from(from), stratum: Int32Array.from(stratum), first };
}

/**
 * Each group's 2 × 2 table per stratum (strata in ascending id, empty ones left out), then the
 * workspace's, with the log-rank test on time to first touch to run when the group is assessed:
 * strata summed in order of their first lead (lowest column index) among the group's leads that
 * have the attribute.
 */
function tabulate(o: Omit<AttributeAssessmentInput, 'labels' | 'guards'>): GroupTables[] {
  const G = o.groupNames.length;
  const S = o.strata;
  const { byGroup, byStratum, runs } = o;
  const groupFlags = gatherI8(o.flags, byGroup.index);
  // The workspace: the groups' cells summed per stratum, and each stratum's first lead.
  const allCounts = new Int32Array(S * 4);
  const allFirst = new Int32Array(S).fill(-1);
  const runFirst = new Int32Array(runs.stratum.length).fill(-1);
  const out: GroupTables[] = [];
  for (let g = 0; g < G; g++) {
    const tables: Table2x2[] = [];
    for (let r = runs.first[g]!; r < runs.first[g + 1]!; r++) {
      let a = 0;
      let b = 0;
      let c = 0;
      let d = 0;
      let first = -1;
      for (let k = runs.from[r]!; k < runs.from[r + 1]!; k++) {
        const f = groupFlags[k]!;
        if (f < 0) continue;
        if (f === 1) {
          if (byGroup.worked[k]) a++;
          else b++;
        } else if (byGroup.worked[k]) c++;
        else d++;
        const i = byGroup.index[k]!;
        if (first < 0 || i < first) first = i;
      }
      if (first < 0) continue;
      runFirst[r] = first;
      tables.push({ a, b, c, d });
      const s = runs.stratum[r]!;
      allCounts[s * 4]! += a;
      allCounts[s * 4 + 1]! += b;
      allCounts[s * 4 + 2]! += c;
      allCounts[s * 4 + 3]! += d;
      if (allFirst[s]! < 0 || first < allFirst[s]!) allFirst[s] = first;
    }
    const first = runs.first[g]!;
    const last = runs.first[g + 1]!;
    out.push({
      key: String(g),
      name: o.groupNames[g]!,
      tables,
      logRank: () => {
        const kept: number[] = [];
        for (let r = first; r < last; r++) if (runFirst[r]! >= 0) kept.push(r);
        kept.sort((x, y) => runFirst[x]! - runFirst[y]!);
        const bounds = new Int32Array(2 * kept.length);
        kept.forEach((r, k) => {
          bounds[2 * k] = runs.from[r]!;
          bounds[2 * k + 1] = runs.from[r + 1]!;
        });
        return logRankOfRuns({ time: byGroup.hours, event: byGroup.touched, flag: groupFlags, runs: bounds });
      },
    });
  }
  const tables: Table2x2[] = [];
  for (let s = 0; s < S; s++) {
    const t = {
      a: allCounts[4 * s]!,
      b: allCounts[4 * s + 1]!,
      c: allCounts[4 * s + 2]!,
      d: allCounts[4 * s + 3]!,
    };
    if (t.a + t.b + t.c + t.d > 0) tables.push(t);
  }
  out.push({
    key: '(all)',
    name: 'The whole workspace',
    tables,
    logRank: () => {
      const kept: number[] = [];
      for (let s = 0; s < S; s++) if (allFirst[s]! >= 0) kept.push(s);
      kept.sort((x, y) => allFirst[x]! - allFirst[y]!);
      const bounds = new Int32Array(2 * kept.length);
      kept.forEach((s, k) => {
        bounds[2 * k] = byStratum.start[s]!;
        bounds[2 * k + 1] = byStratum.start[s + 1]!;
      });
      return logRankOfRuns({
        time: byStratum.hours,
        event: byStratum.touched,
        flag: gatherI8(o.flags, byStratum.index),
        runs: bounds,
      });
    },
  });
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
  // [group][level][band] × (leads, worked) per dimension, both counted in one pass over the leads;
  // group G is the whole workspace (the groups' sum).
  const sizeOf = (levels: number) => levels * o.bands * 2;
  const seniorityCounts = new Int32Array((G + 1) * sizeOf(seniorityOrder.length));
  const tierCounts = new Int32Array((G + 1) * sizeOf(tierOrder.length));
  {
    const sSize = sizeOf(seniorityOrder.length);
    const tSize = sizeOf(tierOrder.length);
    for (let i = 0; i < o.n; i++) {
      const g = o.groupOf[i]!;
      const band = o.bandAt[i]!;
      const w = o.worked[i]!;
      const sAt = g * sSize + (o.seniorityAt[i]! * o.bands + band) * 2;
      seniorityCounts[sAt]! += 1;
      seniorityCounts[sAt + 1]! += w;
      const tAt = g * tSize + (o.tierAt[i]! * o.bands + band) * 2;
      tierCounts[tAt]! += 1;
      tierCounts[tAt + 1]! += w;
    }
  }
  for (const [dimension, levels, counts] of [
    ['seniority', seniorityOrder, seniorityCounts],
    ['company_tier', tierOrder, tierCounts],
  ] as const) {
    const L = levels.length;
    const size = sizeOf(L);
    for (let g = 0; g < G; g++) for (let k = 0; k < size; k++) counts[G * size + k]! += counts[g * size + k]!;
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
  /** The score at the high-score quantile (the lowest score of a high-scoring lead). */
  threshold: number;
  worked: Uint8Array;
  attractiveAt: Map<AttributeKind, Int8Array>;
  compiledAttrs: readonly AttributeKind[];
}): CherryPickReport['leftOnTheVine'] {
  const c = o.options.columns;
  const q = o.options.highScoreQuantile ?? 0.7;
  const threshold = o.threshold;
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
  // The first `limit` in order of score (highest first), then hand-over, then index (the stable sort's
  // order): a heap keeps them, so the rest (a million leads' tens of thousands) is never sorted.
  const order = (x: number, y: number) =>
    o.scores[y]! - o.scores[x]! || handedOverAt(x) - handedOverAt(y) || x - y;
  const listed = firstInOrder(picked, o.options.vineLimit ?? 50, order);
  const rate = o.options.conversionRate ?? null;
  const deal = o.options.dealSize ?? null;
  const str = (code: number): string | null => (code < 0 ? null : c.strings[code]!);
  return {
    count: picked.length,
    scoreThreshold: threshold,
    revenueAtRisk: rate !== null && deal !== null ? picked.length * rate * deal : null,
    rule: `score ≥ ${threshold} (top ${Math.round((1 - q) * 100)} %), not attractive on any assessed attribute, not worked`,
    leads: listed.map((i) => {
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

/**
 * The first `limit` of `items` under `order` (a total order: negative when x comes first), in that
 * order, through a max-heap of the `limit` best seen: O(n log limit) instead of sorting all.
 */
function firstInOrder(
  items: readonly number[],
  limit: number,
  order: (x: number, y: number) => number,
): number[] {
  // slice's reading of an odd limit (negative, NaN) on the fully sorted list.
  if (!(limit >= 1) || items.length <= limit) return [...items].sort(order).slice(0, limit);
  const k = Math.floor(limit);
  // heap[0] is the last (worst) of the kept items.
  const heap: number[] = [];
  const down = (from: number) => {
    let at = from;
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let worst = at;
      if (l < heap.length && order(heap[l]!, heap[worst]!) > 0) worst = l;
      if (r < heap.length && order(heap[r]!, heap[worst]!) > 0) worst = r;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst]!, heap[at]!];
      at = worst;
    }
  };
  for (const x of items) {
    if (heap.length < k) {
      heap.push(x);
      for (let at = heap.length - 1; at > 0; ) {
        const up = (at - 1) >> 1;
        if (order(heap[at]!, heap[up]!) <= 0) break;
        [heap[at], heap[up]] = [heap[up]!, heap[at]!];
        at = up;
      }
    } else if (order(x, heap[0]!) < 0) {
      heap[0] = x;
      down(0);
    }
  }
  return heap.sort(order);
}
