import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

// A seeded generator of realistic lead CSVs (the `gleaner-leads` preset's columns) for scale tests
// and benchmarks: the same seed always writes the same bytes.

/** mulberry32: a small, fast, seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'David',
  'Emma',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
  'Maya',
  'Noah',
  'Olga',
  'Pedro',
];
const LAST = [
  'Silva',
  'Smith',
  "O'Brien",
  'Müller',
  'Garcia',
  'Tanaka',
  'Nowak',
  'Rossi',
  'Dubois',
  'Kim',
  'Ivanova',
  'Jensen',
  'Ahmed',
  'Lopez',
];
const TITLES = [
  'CEO',
  'VP Sales',
  'Head of Marketing',
  'Sales Manager',
  'Engineer',
  'CFO',
  'Analyst',
  'Director, Operations',
  'Intern',
];
const INDUSTRIES = ['Software', 'Retail', 'Manufacturing', 'Healthcare', 'Finance', 'Education', 'Logistics'];
const COUNTRIES = ['US', 'DE', 'BR', 'GB', 'FR', 'IN', 'JP', 'CA'];
const SOURCES = ['webinar', 'tradeshow', 'partner', 'web', 'content', 'outbound'];
const STATUSES = [
  'mql',
  'mql',
  'mql',
  'accepted',
  'working',
  'working',
  'qualified',
  'disqualified',
  'rejected',
  'nurture',
];
const WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Wonka',
];

export const generatedLeadColumns = [
  'external_id',
  'first_name',
  'last_name',
  'email',
  'title',
  'company',
  'company_domain',
  'industry',
  'employees',
  'country',
  'source',
  'campaign',
  'score',
  'handed_over_at',
  'status',
] as const;

const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One generated row (cells in `generatedLeadColumns` order). Row `i` is the same for a seed whatever the count. */
export function generateLeadRow(random: () => number, i: number): string[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const first = pick(FIRST);
  const last = pick(LAST);
  const company = `${pick(WORDS)} ${pick(WORDS)} ${Math.floor(random() * 5000)}`;
  const domain = `${company.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example.com`;
  const handed = Date.UTC(2025, 0, 1) + Math.floor(random() * 365 * 86_400_000);
  return [
    `L${String(i).padStart(8, '0')}`,
    first,
    last,
    `${first}.${last}.${i}@${domain}`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''),
    pick(TITLES),
    company,
    domain,
    pick(INDUSTRIES),
    String(Math.floor(random() ** 3 * 20_000) + 1),
    pick(COUNTRIES),
    pick(SOURCES),
    `campaign-${Math.floor(random() * 40)}`,
    String(Math.floor(random() * 100)),
    new Date(handed).toISOString().replace('.000Z', 'Z'),
    pick(STATUSES),
  ];
}

/** Writes `rows` generated leads to `path`, streaming (memory stays flat at any size). */
export async function writeGeneratedLeads(options: {
  path: string;
  rows: number;
  seed?: number;
}): Promise<void> {
  const random = seededRandom(options.seed ?? 42);
  const out = createWriteStream(options.path);
  out.write(`${generatedLeadColumns.join(',')}\n`);
  let chunk = '';
  for (let i = 1; i <= options.rows; i++) {
    chunk += `${generateLeadRow(random, i).map(csvCell).join(',')}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
