// Power and false-alarm rates of the cherry-pick detector over seeded simulated worlds.
// Usage: node --import tsx scripts/simulate-cherry-pick.ts [--worlds 200] [--json]
import { type SimulationRow, simulateScenario } from '../src/analytics/cherry-pick/simulate.ts';

const args = process.argv.slice(2);
const worldsArg = args.indexOf('--worlds');
const worlds = worldsArg >= 0 ? Number(args[worldsArg + 1]) : 200;
const reps = 10;

// Biased worlds: half the reps carry the planted odds ratio, half work by score only.
type Scenario = {
  name: string;
  leads: number | [number, number];
  or: number;
  biased: number;
  simpson?: boolean;
  prevalence?: [number, number];
};
// Each world draws its score shape (uniform, low/high-skewed, bell), attractive share (25–50 % unless
// given) and work-rate curve from its seed; score bands are chosen automatically (~30 leads per band).
const scenarios: Scenario[] = [
  { name: 'null (no bias)', leads: 300, or: 1, biased: 0 },
  { name: 'null (no bias)', leads: [100, 600], or: 1, biased: 0 },
  { name: "Simpson's trap", leads: 300, or: 1, biased: 0, simpson: true },
  { name: "Simpson's trap", leads: 1000, or: 1, biased: 0, simpson: true },
  { name: "Simpson's trap", leads: 3000, or: 1, biased: 0, simpson: true },
  { name: 'planted bias', leads: 300, or: 1.5, biased: 5 },
  { name: 'planted bias', leads: 300, or: 2, biased: 5 },
  { name: 'planted bias', leads: 500, or: 2, biased: 5 },
  { name: 'planted bias', leads: 300, or: 2.5, biased: 5 },
  { name: 'planted bias', leads: 300, or: 3, biased: 5 },
  { name: 'planted bias', leads: 500, or: 2.5, biased: 5 },
  { name: 'planted bias', leads: [100, 600], or: 2.5, biased: 5 },
  { name: 'planted bias, 10–20 % attractive', leads: 300, or: 2.5, biased: 5, prevalence: [0.1, 0.2] },
  { name: 'planted bias', leads: 100, or: 3, biased: 5 },
];

const rows: SimulationRow[] = scenarios.map((s, i) =>
  simulateScenario({
    scenario: s.name,
    worlds,
    seed: 1000 + i * 100_003,
    spec: {
      reps,
      leadsPerRep: s.leads,
      oddsRatio: s.or,
      biasedReps: s.biased,
      simpson: s.simpson ?? false,
      ...(s.prevalence ? { prevalence: s.prevalence } : {}),
    },
  }),
);

if (args.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const pct = (x: number | null) => (x === null ? '–' : x.toFixed(3));
  console.log(
    `${worlds} worlds per row, ${reps} reps per world (biased rows: 5 biased + 5 unbiased reps); flagged = two-sided CMH p < 0.05 and OR > 1`,
  );
  console.log(
    '| scenario | leads/rep | OR | power | power (BH) | false alarm | false alarm (BH) | not enough data |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.scenario} | ${r.leadsPerRep} | ${r.oddsRatio} | ${pct(r.power)} | ${pct(r.powerBh)} | ${pct(r.falseAlarm)} | ${pct(r.falseAlarmBh)} | ${pct(r.notEnoughData)} |`,
    );
  }
}
