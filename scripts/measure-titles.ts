// Measures the title classifier on the real titles in ../shared/data/job_titles (O*NET 27.0 and the
// 73,380 normalised titles): coverage, agreement with the SOC-derived level, and agreement with the
// hand-labelled sample in test-fixtures/attributes/title-sample.csv.
// Usage: node --import tsx scripts/measure-titles.ts [--unknown N] [--disagree N]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyTitle } from '../src/attributes/title.ts';
import { agreesWithSoc, measureCoverage, parseOnetTsv, socLevel } from '../src/attributes/title-measure.ts';
import { readLabelledSample } from '../src/attributes/title-sample.ts';
import { sharedDataPath } from '../src/testing/shared-data.ts';

const args = process.argv.slice(2);
const showUnknown = args.includes('--unknown') ? Number(args[args.indexOf('--unknown') + 1]) : 0;
const showDisagree = args.includes('--disagree') ? Number(args[args.indexOf('--disagree') + 1]) : 0;
const onet = (file: string) => parseOnetTsv(readFileSync(sharedDataPath('job_titles', 'onet', file), 'utf8'));

const occupations = new Map(onet('Occupation Data.txt').map(([soc, title]) => [soc ?? '', title ?? '']));
const reported = onet('Sample of Reported Titles.txt').map(([soc, title]) => ({
  soc: soc ?? '',
  title: title ?? '',
}));
const alternate = onet('Alternate Titles.txt').map(([soc, title]) => ({
  soc: soc ?? '',
  title: title ?? '',
}));
const normalised = readFileSync(sharedDataPath('job_titles', 'job-titles.txt'), 'utf8')
  .split('\n')
  .filter(Boolean);

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
for (const [name, titles] of [
  ['O*NET reported titles', reported.map((r) => r.title)],
  ['O*NET alternate titles', alternate.map((r) => r.title)],
  ['normalised real titles (jneidel)', normalised],
] as const) {
  const c = measureCoverage(titles);
  console.log(`${name}: ${c.titles} titles, coverage ${pct(c.coverage)}  ${JSON.stringify(c.bySeniority)}`);
}

for (const [name, rows] of [
  ['reported', reported],
  ['alternate', alternate],
] as const) {
  const byLevel = new Map<string, { n: number; agree: number }>();
  const disagreements: string[] = [];
  for (const row of rows) {
    const level = socLevel({ soc: row.soc, occupationTitle: occupations.get(row.soc) ?? '' });
    const { seniority } = classifyTitle(row.title);
    const entry = byLevel.get(level) ?? { n: 0, agree: 0 };
    entry.n++;
    if (agreesWithSoc(seniority, level)) entry.agree++;
    else if (disagreements.length < showDisagree)
      disagreements.push(`${row.soc} ${level} | ${row.title} → ${seniority}`);
    byLevel.set(level, entry);
  }
  const total = [...byLevel.values()].reduce((s, e) => ({ n: s.n + e.n, agree: s.agree + e.agree }), {
    n: 0,
    agree: 0,
  });
  console.log(
    `agreement with SOC-derived level (${name}): ${pct(total.agree / total.n)} overall; ${[...byLevel]
      .map(([level, e]) => `${level} ${pct(e.agree / e.n)} of ${e.n}`)
      .join(', ')}`,
  );
  for (const d of disagreements) console.log(`  disagree: ${d}`);
}

const sample = readLabelledSample(
  readFileSync(join(import.meta.dirname, '../test-fixtures/attributes/title-sample.csv'), 'utf8'),
);
let agree = 0;
let agreeSoc = 0;
for (const row of sample) {
  const { seniority } = classifyTitle(row.title);
  if (seniority === row.label) agree++;
  else if (showDisagree) console.log(`  sample disagree: ${row.title} → ${seniority}, labelled ${row.label}`);
  if (agreesWithSoc(row.label, socLevel({ soc: row.soc, occupationTitle: occupations.get(row.soc) ?? '' })))
    agreeSoc++;
}
console.log(
  `hand-labelled sample (${sample.length} titles): classifier = label for ${pct(agree / sample.length)}; label consistent with SOC level for ${pct(agreeSoc / sample.length)}`,
);

if (showUnknown) {
  const unknown = reported
    .filter((r) => classifyTitle(r.title).seniority === 'unknown')
    .slice(0, showUnknown);
  for (const r of unknown) console.log(`  unknown: ${r.soc} ${r.title}`);
}
