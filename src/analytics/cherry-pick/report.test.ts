import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAttractivenessConfig } from '../../attributes/attractiveness.ts';
import { main } from '../../cli/main.ts';
import type { Store } from '../../store/open-store.ts';
import { tempDbPath, testEngines } from '../../testing/engines.ts';
import { loadCherryPickRows } from './load.ts';
import { buildCherryPickReport, type CherryPickLeadRow } from './report.ts';
import { seededRandom } from './simulate.ts';

const H = 3_600_000;
// Tuesday 2026-03-03 10:00 UTC, so the default policies' business-hours clocks are running.
const START = Date.UTC(2026, 2, 3, 10);
const NOW = START + 60 * 24 * H;

type Planned = { rep: 'dana' | 'sam'; vp: boolean; score: number; worked: boolean; employees: number };

/** Dana works VP+ leads whatever their score; Sam works by score only (VP+ leads score higher for Sam: Simpson's trap). */
function plan(): Planned[] {
  const random = seededRandom(20261123);
  const out: Planned[] = [];
  for (let i = 0; i < 300; i++) {
    const vp = random() < 0.35;
    const score = Math.round(100 * random());
    out.push({
      rep: 'dana',
      vp,
      score,
      worked: random() < (vp ? 0.85 : 0.3),
      employees: 50 + Math.round(random() * 5000),
    });
  }
  for (let i = 0; i < 300; i++) {
    const vp = random() < 0.35;
    const score = Math.min(100, Math.round(70 * random() + (vp ? 30 : 0)));
    out.push({
      rep: 'sam',
      vp,
      score,
      worked: random() < 1 / (1 + Math.exp(-(score - 50) / 8)),
      employees: 50 + Math.round(random() * 5000),
    });
  }
  return out;
}

async function seed(store: Store, leads: Planned[]): Promise<void> {
  const db = store.db;
  await db
    .insertInto('teams')
    .values({ id: 1, name: 'West', manager_rep_id: null, created_at: START })
    .execute();
  await db
    .insertInto('reps')
    .values([
      {
        id: 1,
        external_id: 'r1',
        name: 'Dana',
        email: null,
        team_id: 1,
        created_at: START,
        updated_at: START,
      },
      {
        id: 2,
        external_id: 'r2',
        name: 'Sam',
        email: null,
        team_id: 1,
        created_at: START,
        updated_at: START,
      },
    ])
    .execute();
  const rows = leads.map((l, i) => ({
    id: i + 1,
    external_id: `L${i + 1}`,
    title: l.vp
      ? i % 2
        ? 'VP Sales'
        : 'Chief Marketing Officer'
      : i % 2
        ? 'Sales Manager'
        : 'Software Engineer',
    company: `Company ${i}`,
    employees: l.employees,
    source: 'web',
    score: l.score,
    handed_over_at: START + (i % 20) * 60_000,
    owner_rep_id: l.rep === 'dana' ? 1 : 2,
    status: l.worked ? 'working' : 'mql',
    created_at: START,
    updated_at: START,
  }));
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('leads')
      .values(rows.slice(i, i + 200))
      .execute();
  const stats = leads
    .map((l, i) => ({ l, id: i + 1 }))
    .filter(({ l }) => l.worked)
    .map(({ id }) => ({
      lead_id: id,
      first_touch_at: START + (id % 20) * 60_000 + 30 * 60_000,
      last_touch_at: START + 2 * H,
      touches: 1,
      emails: 1,
      updated_at: START,
    }));
  for (let i = 0; i < stats.length; i += 200)
    await db
      .insertInto('lead_stats')
      .values(stats.slice(i, i + 200))
      .execute();
}

const planned = plan();
const share = (xs: Planned[]) => xs.filter((l) => l.worked).length / xs.length;

describe.each(testEngines())('cherry-pick report from the store on $name', (engine) => {
  let store: Store;
  let rows: CherryPickLeadRow[];
  beforeAll(async () => {
    store = await engine.open();
    await seed(store, planned);
    rows = await loadCherryPickRows(store.db, { now: NOW });
  });
  afterAll(async () => {
    await store.close();
  });

  it('loads every handed-over lead with its SLA outcome (worked = first touch within the SLA here)', () => {
    expect(rows).toHaveLength(600);
    expect(rows.filter((r) => r.worked).length).toBe(planned.filter((l) => l.worked).length);
    expect(rows[0]).toMatchObject({ repName: 'Dana', teamName: 'West', source: 'web' });
  });

  it('flags Dana on seniority and not Sam, whose VP+ leads simply score higher', () => {
    const report = buildCherryPickReport({
      rows,
      config: defaultAttractivenessConfig,
      by: 'rep',
      attributes: ['seniority', 'company'],
      now: NOW,
      conversionRate: 0.1,
      dealSize: 10_000,
    });
    const find = (name: string, attribute: string) =>
      report.assessments.find((a) => a.name === name && a.attribute === attribute)!;
    const dana = find('Dana', 'seniority');
    expect(dana.verdict).toBe('likely_cherry_picking');
    expect(dana.attractiveWorkedRate).toBeCloseTo(share(planned.filter((l) => l.rep === 'dana' && l.vp)), 12);
    expect(dana.sentence).toMatch(
      /^Dana worked \d+ % of VP\+ leads but \d+ % of director\/manager\/IC leads of the same score/,
    );
    const sam = find('Sam', 'seniority');
    // Unstratified, Sam works VP+ leads far more often …
    const samVp = share(planned.filter((l) => l.rep === 'sam' && l.vp));
    const samOther = share(planned.filter((l) => l.rep === 'sam' && !l.vp));
    expect(samVp - samOther).toBeGreaterThan(0.3);
    // … but not at equal score.
    expect(sam.verdict).toBe('no_evidence');
    expect(find('Dana', 'company').verdict).toBe('no_evidence');
    // Heatmap cells add up to the leads, per dimension.
    const cells = report.heatmap.filter((c) => c.group === 'Dana' && c.dimension === 'seniority');
    expect(cells.reduce((s, c) => s + c.leads, 0)).toBe(300);
    // Left on the vine: high score, not attractive on any attribute, not worked; priced as count × rate × deal.
    const v = report.leftOnTheVine;
    expect(v.revenueAtRisk).toBeCloseTo(v.count * 0.1 * 10_000, 6);
    for (const lead of v.leads) {
      expect(lead.score).toBeGreaterThanOrEqual(v.scoreThreshold);
      expect(rows.find((r) => r.leadId === lead.leadId)!.worked).toBe(false);
    }
  });
});

describe('gleaner report cherry-pick', () => {
  it('prints verdicts, CSV and JSON from a SQLite workspace, and rejects a bad flag', async () => {
    const { path, cleanup } = tempDbPath();
    try {
      const { openStore } = await import('../../store/open-store.ts');
      const store = await openStore({ url: path });
      await seed(store, planned);
      await store.close();
      const run = async (...args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await main(['node', 'gleaner', '--db', path, 'report', 'cherry-pick', ...args], {
          env: {},
          io: { out: (s) => out.push(s), err: (s) => err.push(s) },
          interactive: false,
        });
        return { code, out: out.join(''), err: err.join('') };
      };
      const text = await run('--at', '2026-05-01');
      expect(text.code).toBe(0);
      expect(text.out).toContain('[seniority] Dana worked');
      expect(text.out).toContain('likely cherry-picking');
      const csv = await run('--at', '2026-05-01', '--csv', '--attribute', 'seniority');
      expect(csv.out.split('\n')[0]).toBe(
        'group,attribute,verdict,leads,attractive,other,worked_attractive_share,worked_other_same_score_share,odds_ratio,ci_low,ci_high,p_cmh,p_adjusted,breslow_day_p,logit_or,logrank_p,strata,strata_dropped',
      );
      const json = JSON.parse((await run('--at', '2026-05-01', '--json', '--by', 'team')).out);
      expect(json.by).toBe('team');
      expect(json.assessments[0].name).toBe('West');
      const bad = await run('--by', 'planet');
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/--by/);
    } finally {
      cleanup();
    }
  });
});
