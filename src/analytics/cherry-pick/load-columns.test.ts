import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AttractivenessConfig,
  type AttributeKind,
  defaultAttractivenessConfig,
  parseAttractivenessConfig,
} from '../../attributes/attractiveness.ts';
import { parsePolicySet } from '../../sla/policy.ts';
import { saveGlobalPolicies } from '../../sla/policy-store.ts';
import type { Store } from '../../store/open-store.ts';
import { testEngines } from '../../testing/engines.ts';
import { generateWorkspace, writeWorkspace } from '../../testing/generate-workspace.ts';
import { loadCherryPickRows } from './load.ts';
import { type CherryPickKeep, cherryPickReportFromStore } from './load-columns.ts';
import { buildCherryPickReport } from './report.ts';

const D = 86_400_000;
const start = Date.UTC(2026, 2, 1);
const end = Date.UTC(2026, 5, 1);

// Policies that match on campaign, segment and score, with procedural rejection reasons and business
// clocks in the rep's zone: every input "worked" depends on is exercised.
const policyYaml = `
policies:
  - name: hot
    match: [{ sources: [demo_request] }, { score_min: 90 }]
    first_touch: { within_hours: 4, clock: wall }
    attempts: { touches: 6, calls: 3, emails: 2 }
    window_days: 14
  - name: webinar-enterprise
    match: { sources: [WEBINAR], segments: [enterprise] }
    first_touch: { within_hours: 8, clock: business }
    business_hours: { time_zone: Europe/Berlin, start: "08:30", end: "17:00", holidays: ["2026-04-03", "2026-04-06"] }
    attempts: { touches: 4, calls: 1, emails: 1, meetings: 1 }
    window_days: 21
  - name: campaign-band
    match: { campaigns: [tradeshow-1, partner-2, web-3], score_min: 20, score_max: 60 }
    first_touch: { within_hours: 16, clock: business }
    business_hours: { time_zone: rep, holidays: ["2026-04-06"] }
    attempts: { touches: 3 }
    window_days: 10
    not_applicable_reasons: [duplicate, bad_fit]
  - name: default
    first_touch: { within_hours: 24, clock: business }
    business_hours: { time_zone: rep }
    attempts: { touches: 5, calls: 2, emails: 2 }
    window_days: 30
    not_applicable_reasons: [duplicate]
`;

const branded: AttractivenessConfig = parseAttractivenessConfig({
  company: { brands: { names: ['Account 3', 'Account 17'], domains: ['acct5.example'] } },
  industry: { favoured: ['Financial Services'] },
});

const cases: Array<{
  name: string;
  config: AttractivenessConfig;
  attributes: AttributeKind[];
  by: 'rep' | 'team';
  extra?: { bySource?: boolean; byWeek?: boolean; bands?: number | 'auto'; since?: number; until?: number };
  keep?: CherryPickKeep;
}> = [
  {
    name: 'defaults by rep',
    config: defaultAttractivenessConfig,
    attributes: ['seniority', 'company'],
    by: 'rep',
  },
  {
    name: 'brands and industries by team, strata by source',
    config: branded,
    attributes: ['seniority', 'company', 'industry'],
    by: 'team',
    extra: { bySource: true },
  },
  {
    name: 'a period, by week, a manager’s reps and one source',
    config: branded,
    attributes: ['company'],
    by: 'rep',
    extra: { byWeek: true, bands: 4, since: start + 20 * D, until: end - 10 * D },
    keep: (l) => l.repId !== null && l.repId % 2 === 0 && l.source !== 'cold',
  },
];

describe.each(testEngines())('the cherry-pick report from columns on $name', (engine) => {
  let store: Store;
  const now = end + 5 * D;
  beforeAll(async () => {
    store = await engine.open();
    await writeWorkspace(
      store.db,
      generateWorkspace({ seed: 5, leads: 1500, reps: 14, activitiesPerLead: 6, start, end }),
    );
    await saveGlobalPolicies(store.db, { set: parsePolicySet(policyYaml, 'p.yaml'), now: start });
    // Titles, sizes, industries and domains from the lead id, with nulls and empty strings among them.
    await sql`update leads set
      title = case id % 9 when 0 then 'CEO' when 1 then 'VP Sales' when 2 then 'Sales Manager'
        when 3 then 'Software Engineer' when 4 then null when 5 then '' when 6 then 'Director of IT'
        when 7 then 'Chief Financial Officer' else 'Buyer' end,
      employees = case when id % 11 = 0 then null else (id * 37) % 3000 end,
      annual_revenue = case when id % 5 = 0 then (id * 7919) % 2000000000 else null end,
      industry = case id % 4 when 0 then 'Financial services' when 1 then 'Retail' when 2 then null else 'Software' end,
      company_domain = case when id % 3 = 0 then 'mail.acct' || (id % 8) || '.example' else null end,
      score = case when id % 97 = 0 then null else score end`.execute(store.db);
    // Rejected leads with the attempts: worked, unless the rejection's reason makes the SLA not apply.
    await sql`update lead_stats set touches = 9, calls = 4, emails = 4, meetings = 1
      where lead_id in (select id from leads where status = 'rejected')`.execute(store.db);
  });
  afterAll(async () => {
    await store.close();
  });

  it.each(cases)('gives buildCherryPickReport’s report over loadCherryPickRows: $name', async (c) => {
    const since = c.extra?.since;
    const until = c.extra?.until;
    const build = {
      config: c.config,
      by: c.by,
      attributes: c.attributes,
      now,
      bands: c.extra?.bands ?? ('auto' as const),
      bySource: c.extra?.bySource ?? false,
      byWeek: c.extra?.byWeek ?? false,
      conversionRate: 0.1,
      dealSize: 5000,
      vineLimit: 40,
    };
    const rows = (await loadCherryPickRows(store.db, { now, since, until })).filter(
      (r) => !c.keep || c.keep({ repId: r.repId, teamId: r.teamId, source: r.source }),
    );
    const expected = buildCherryPickReport({ rows, ...build });
    const actual = await cherryPickReportFromStore(store.db, {
      ...build,
      since,
      until,
      ...(c.keep ? { keep: c.keep } : {}),
    });
    expect(actual).toEqual(expected);
    // Not vacuous: leads of both outcomes, worked by both routes, and a listed vine.
    expect(rows.filter((r) => r.worked).length).toBeGreaterThan(20);
    expect(rows.filter((r) => !r.worked).length).toBeGreaterThan(20);
    expect(expected.leftOnTheVine.leads.length).toBeGreaterThan(0);
    expect(expected.assessments.some((a) => a.verdict !== 'not_enough_data')).toBe(true);
  });
});
