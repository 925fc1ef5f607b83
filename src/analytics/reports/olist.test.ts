import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/open-store.ts';
import { testEngines } from '../../testing/engines.ts';
import { sharedDataDir, sharedDataPath } from '../../testing/shared-data.ts';
import { defaultReportSettings, type ReportResult } from './report-types.ts';
import { runReports } from './run-reports.ts';

// The real Olist funnel (8,000 MQLs, 842 won deals with SDR and closer ids). It has no activity, so
// what it supports is conversion and time to won by origin and by SDR, and coverage where a won deal
// is the only proof of follow-up. Times are read as UTC in both paths (the files carry no zone).
type Mql = { mql_id: string; first_contact_date: string; landing_page_id: string; origin: string };
type Deal = {
  mql_id: string;
  sdr_id: string;
  sr_id: string;
  won_date: string;
  declared_monthly_revenue: string;
};

const read = <T>(file: string): T[] =>
  parse(readFileSync(sharedDataPath('olist_marketing_funnel', file)), {
    columns: true,
    skip_empty_lines: true,
  });
const utc = (s: string) => Date.parse(`${s.replace(' ', 'T')}${s.length === 10 ? 'T00:00:00' : ''}Z`);
const DAY = 86_400_000;

async function loadOlist(store: Store, mqls: Mql[], deals: Deal[]): Promise<void> {
  const db = store.db;
  const t = Date.UTC(2019, 0, 1);
  const repIds = new Map<string, number>();
  const teams = await db
    .insertInto('teams')
    .values([
      { name: 'SDR', created_at: t },
      { name: 'Closers', created_at: t },
    ])
    .returning(['id', 'name'])
    .execute();
  const teamId = (name: string) => teams.find((x) => x.name === name)!.id;
  const repRows = new Map<
    string,
    { external_id: string; name: string; team_id: number; created_at: number; updated_at: number }
  >();
  for (const [col, team] of [
    ['sdr_id', 'SDR'],
    ['sr_id', 'Closers'],
  ] as const)
    for (const ext of deals.map((d) => d[col]).filter(Boolean))
      if (!repRows.has(ext))
        repRows.set(ext, {
          external_id: ext,
          name: `Olist rep ${ext.slice(0, 8)}`,
          team_id: teamId(team),
          created_at: t,
          updated_at: t,
        });
  const inserted = await db
    .insertInto('reps')
    .values([...repRows.values()])
    .returning(['id', 'external_id'])
    .execute();
  for (const r of inserted) repIds.set(r.external_id, r.id);
  const dealOf = new Map(deals.map((d) => [d.mql_id, d]));
  for (let i = 0; i < mqls.length; i += 400) {
    await db
      .insertInto('leads')
      .values(
        mqls.slice(i, i + 400).map((m) => {
          const d = dealOf.get(m.mql_id);
          return {
            external_id: m.mql_id,
            source: m.origin || null,
            landing_page: m.landing_page_id,
            handed_over_at: utc(m.first_contact_date),
            status: d ? 'qualified' : 'mql',
            converted_at: d ? utc(d.won_date) : null,
            owner_rep_id: d ? (repIds.get(d.sdr_id) ?? null) : null,
            created_at: utc(m.first_contact_date),
            updated_at: t,
          };
        }),
      )
      .execute();
  }
  const leadIds = new Map(
    (await db.selectFrom('leads').select(['id', 'external_id']).execute()).map((l) => [l.external_id, l.id]),
  );
  // The lead's opportunity is found through opportunities.lead_id (leads.opportunity_id stays empty).
  const opps = deals
    .filter((d) => leadIds.has(d.mql_id))
    .map((d) => ({
      external_id: `olist-deal:${d.mql_id}`,
      lead_id: leadIds.get(d.mql_id)!,
      owner_rep_id: repIds.get(d.sr_id) ?? null,
      amount: Number(d.declared_monthly_revenue) || 0,
      closed_at: utc(d.won_date),
      won: 1,
      stage: 'won',
      created_at: t,
      updated_at: t,
    }));
  for (let i = 0; i < opps.length; i += 400)
    await db
      .insertInto('opportunities')
      .values(opps.slice(i, i + 400))
      .execute();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

describe.skipIf(!sharedDataDir).each(sharedDataDir ? testEngines() : [])(
  'Olist funnel reports on $name',
  (engine) => {
    let store: Store;
    let mqls: Mql[];
    let deals: Deal[];
    let reports: ReportResult[];
    beforeAll(async () => {
      mqls = read<Mql>('olist_marketing_qualified_leads_dataset.csv');
      deals = read<Deal>('olist_closed_deals_dataset.csv');
      store = await engine.open();
      await loadOlist(store, mqls, deals);
    });
    afterAll(async () => {
      await store?.close();
    });

    it('coverage and conversion by origin equal the counts in the CSV files', async () => {
      const settings = { ...defaultReportSettings, now: Date.UTC(2019, 0, 1), by: 'source' as const };
      reports = await runReports(store.db, { settings, names: ['coverage', 'cold-vs-mql'] });
      const mqlIds = new Set(mqls.map((m) => m.mql_id));
      const wonIds = new Set(deals.map((d) => d.mql_id).filter((id) => mqlIds.has(id)));
      const origins = [...new Set(mqls.map((m) => m.origin || '(none)'))].sort();
      const coverage = new Map(reports[0]!.tables[0]!.rows.map((r) => [r.source, r]));
      const conversion = new Map(reports[1]!.tables[0]!.rows.map((r) => [r.source, r]));
      expect([...coverage.keys()]).toEqual(origins);
      for (const origin of origins) {
        const leads = mqls.filter((m) => (m.origin || '(none)') === origin);
        const won = leads.filter((m) => wonIds.has(m.mql_id)).length;
        expect(coverage.get(origin)!.mqls).toBe(leads.length);
        // Olist has no activity: a won deal is the only sign of follow-up; every other MQL was never worked.
        expect(coverage.get(origin)!.properly_followed_up).toBe(won);
        expect(coverage.get(origin)!.never_worked).toBe(leads.length - won);
        expect(conversion.get(origin)!.conversion_rate).toBeCloseTo(won / leads.length, 4);
        expect(conversion.get(origin)!.won).toBe(won);
      }
      expect(mqls.length).toBe(8000);
      expect(wonIds.size).toBe(842);
    });

    it('time from first contact to won per SDR equals the CSV computation', async () => {
      const settings = { ...defaultReportSettings, now: Date.UTC(2019, 0, 1), by: 'rep' as const };
      const [report] = await runReports(store.db, { settings, names: ['cold-vs-mql'] });
      const firstContact = new Map(mqls.map((m) => [m.mql_id, utc(m.first_contact_date)]));
      const bySdr = new Map<string, number[]>();
      for (const d of deals) {
        const start = firstContact.get(d.mql_id);
        if (start === undefined) continue;
        const list = bySdr.get(d.sdr_id) ?? [];
        list.push((utc(d.won_date) - start) / DAY);
        bySdr.set(d.sdr_id, list);
      }
      const rows = report!.tables[0]!.rows.filter((r) => r.rep !== '(unassigned)');
      expect(rows).toHaveLength(bySdr.size);
      expect(bySdr.size).toBe(32);
      for (const [sdr, days] of bySdr) {
        const row = rows.find((r) => r.rep === `Olist rep ${sdr.slice(0, 8)}`)!;
        expect(row.won).toBe(days.length);
        expect(row.days_to_won_median).toBe(Number(median(days).toFixed(2)));
        expect(row.days_to_won_mean).toBe(Number((days.reduce((s, x) => s + x, 0) / days.length).toFixed(2)));
      }
      // One deal was won before its first contact: the negative duration is kept, not hidden.
      expect(Math.min(...[...bySdr.values()].flat())).toBeLessThan(0);
    });
  },
);
