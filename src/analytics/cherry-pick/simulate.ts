import { assessGroup, autoBands, bandOf, decideVerdicts, type GroupTables, quantileCuts } from './detect.ts';
import type { Table2x2 } from './mantel-haenszel.ts';

/** A small seeded generator (mulberry32): the same seed gives the same worlds on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type WorldSpec = {
  seed: number;
  reps: number;
  /** Leads per rep; `[min, max]` draws each rep's count uniformly. */
  leadsPerRep: number | [number, number];
  /** Planted odds ratio (attractive vs other, at equal score) for the biased reps. */
  oddsRatio: number;
  /** How many of the reps carry the planted bias (the rest work by score only). */
  biasedReps: number;
  /**
   * Simpson's trap: attractive leads score much higher and every rep works purely by score —
   * attractive leads are worked more overall but not at equal score, so nobody may be flagged.
   */
  simpson?: boolean;
  bands?: number;
  /** Range the world's share of attractive leads is drawn from (default 25–50 %). */
  prevalence?: [number, number];
};

export type World = { groups: GroupTables[]; biased: boolean[]; description: string };

const scoreShapes = ['uniform', 'low-skewed', 'high-skewed', 'bell'] as const;

/** Generates one world: its score distribution, attractiveness prevalence and work rates are drawn from the seed. */
export function generateWorld(spec: WorldSpec): World {
  const random = seededRandom(spec.seed);
  const shape = scoreShapes[Math.floor(random() * scoreShapes.length)]!;
  const [pLo, pHi] = spec.prevalence ?? [0.25, 0.5];
  const prevalence = pLo + random() * (pHi - pLo);
  const intercept = -0.5 + random() * 1.0;
  // Logit change per 25 score points; the trap uses a steep slope so residual confounding would show.
  const slope = spec.simpson ? 2.5 : 0.5 + random() * 0.7;
  const logOr = Math.log(spec.oddsRatio);
  const drawScore = (): number => {
    const u = random();
    if (shape === 'uniform') return 100 * u;
    if (shape === 'low-skewed') return 100 * u * u;
    if (shape === 'high-skewed') return 100 * (1 - (1 - u) * (1 - u));
    return Math.min(100, Math.max(0, 50 + 15 * normal(random)));
  };
  type Lead = { rep: number; score: number; attractive: number; worked: number };
  const leads: Lead[] = [];
  const counts: number[] = [];
  for (let rep = 0; rep < spec.reps; rep++) {
    const [lo, hi] = Array.isArray(spec.leadsPerRep)
      ? spec.leadsPerRep
      : [spec.leadsPerRep, spec.leadsPerRep];
    const count = Math.round(lo + random() * (hi - lo));
    counts.push(count);
    const biased = rep < spec.biasedReps;
    for (let i = 0; i < count; i++) {
      const attractive = random() < prevalence ? 1 : 0;
      // In the trap, attractive leads score ~25 points higher.
      const score = spec.simpson
        ? Math.min(100, Math.max(0, drawScore() * 0.75 + attractive * 25))
        : drawScore();
      const eta = intercept + (slope * (score - 50)) / 25 + (biased ? logOr * attractive : 0);
      const worked = random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
      leads.push({ rep, score, attractive, worked });
    }
  }
  const bands = spec.bands ?? autoBands(counts);
  const cuts = quantileCuts(
    Float64Array.from(leads, (l) => l.score),
    bands,
  );
  const tables: Table2x2[][] = Array.from({ length: spec.reps }, () =>
    Array.from({ length: bands }, () => ({ a: 0, b: 0, c: 0, d: 0 })),
  );
  for (const l of leads) {
    const t = tables[l.rep]![bandOf(l.score, cuts)]!;
    if (l.attractive && l.worked) t.a++;
    else if (l.attractive) t.b++;
    else if (l.worked) t.c++;
    else t.d++;
  }
  return {
    groups: tables.map((t, rep) => ({ key: String(rep), name: `rep ${rep}`, tables: t })),
    biased: Array.from({ length: spec.reps }, (_, rep) => rep < spec.biasedReps),
    description: `${shape} scores, ${Math.round(prevalence * 100)} % attractive, ${bands} bands`,
  };
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export type SimulationRow = {
  scenario: string;
  worlds: number;
  leadsPerRep: string;
  oddsRatio: number;
  /** Share of biased reps flagged (before / after Benjamini–Hochberg within each world). */
  power: number | null;
  powerBh: number | null;
  /** Share of unbiased reps flagged (before / after BH). */
  falseAlarm: number | null;
  falseAlarmBh: number | null;
  /** Share of reps that got "not enough data". */
  notEnoughData: number;
};

/** Runs `worlds` seeded worlds of one scenario and tallies how often biased and unbiased reps are flagged. */
export function simulateScenario(options: {
  scenario: string;
  worlds: number;
  seed: number;
  spec: Omit<WorldSpec, 'seed'>;
}): SimulationRow {
  let biasedTotal = 0;
  let biasedHit = 0;
  let biasedHitBh = 0;
  let cleanTotal = 0;
  let cleanHit = 0;
  let cleanHitBh = 0;
  let skipped = 0;
  let total = 0;
  const labels = { attractiveLabel: 'attractive leads', otherLabel: 'other leads' };
  for (let w = 0; w < options.worlds; w++) {
    const world = generateWorld({ ...options.spec, seed: options.seed + w * 7919 });
    const assessed = world.groups.map((g) => assessGroup(g, labels));
    const raw = decideVerdicts(assessed, { multipleTesting: 'none' });
    const bh = decideVerdicts(assessed);
    world.biased.forEach((biased, i) => {
      total++;
      if (raw[i]!.verdict === 'not_enough_data') skipped++;
      const hit = raw[i]!.verdict === 'likely_cherry_picking' ? 1 : 0;
      const hitBh = bh[i]!.verdict === 'likely_cherry_picking' ? 1 : 0;
      if (biased) {
        biasedTotal++;
        biasedHit += hit;
        biasedHitBh += hitBh;
      } else {
        cleanTotal++;
        cleanHit += hit;
        cleanHitBh += hitBh;
      }
    });
  }
  const lpr = options.spec.leadsPerRep;
  return {
    scenario: options.scenario,
    worlds: options.worlds,
    leadsPerRep: Array.isArray(lpr) ? `${lpr[0]}–${lpr[1]}` : String(lpr),
    oddsRatio: options.spec.oddsRatio,
    power: biasedTotal ? biasedHit / biasedTotal : null,
    powerBh: biasedTotal ? biasedHitBh / biasedTotal : null,
    falseAlarm: cleanTotal ? cleanHit / cleanTotal : null,
    falseAlarmBh: cleanTotal ? cleanHitBh / cleanTotal : null,
    notEnoughData: skipped / total,
  };
}
