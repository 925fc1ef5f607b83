import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttributeKind, parseAttractivenessConfig } from '../../attributes/attractiveness.ts';
import { loadActivePolicies } from '../../sla/policy-store.ts';
import type { Store } from '../../store/open-store.ts';
import { testEngines } from '../../testing/engines.ts';
import { generateWorkspace, writeWorkspace } from '../../testing/generate-workspace.ts';
import { assessInWorker, readPartsInWorker } from './column-reader.ts';
import { concatColumns } from './columns.ts';
import { loadCherryPickRows } from './load.ts';
import { cherryPickReportFromStore, readCherryPickColumns } from './load-columns.ts';
import {
  assessAttribute,
  buildCherryPickReport,
  buildCherryPickReportFromColumns,
  buildCherryPickReportSplit,
} from './report.ts';

const D = 86_400_000;
const start = Date.UTC(2026, 2, 1);
const end = Date.UTC(2026, 5, 1);
const config = parseAttractivenessConfig({
  company: { brands: { names: ['Account 3', 'Account 17'], domains: ['acct5.example'] } },
  industry: { favoured: ['Financial Services'] },
});

// Strings (codes) as the report reads them: the same leads' values whatever the dictionary's order.
const decoded = (c: Awaited<ReturnType<typeof readCherryPickColumns>>) => {
  const text = (codes: Int32Array) => Array.from(codes, (k) => (k < 0 ? null : c.strings[k]));
  return {
    n: c.n,
    numbers: [c.leadId, c.score, c.repId, c.teamId, c.handedOverAt, c.firstTouchAt].map((a) => [...a]),
    small: [c.tier, c.worked].map((a) => [...a]),
    text: [c.title, c.company, c.companyDomain, c.industry, c.repName, c.teamName, c.source].map(text),
  };
};

describe.each(testEngines())('the cherry-pick columns read in two parts on $name', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
    await writeWorkspace(
      store.db,
      generateWorkspace({ seed: 11, leads: 900, reps: 9, activitiesPerLead: 4, start, end }),
    );
    // Text that the upper parts see first (industries only above id 450) and nulls among it.
    await sql`update leads set
      industry = case when id > 450 then case id % 3 when 0 then 'Financial services' when 1 then 'Mining' end end,
      company_domain = case when id % 4 = 0 then 'mail.acct' || (id % 7) || '.example' end`.execute(store.db);
  });
  afterAll(async () => {
    await store.close();
  });

  it('joins the id ranges into the columns of one read', async () => {
    const { policies } = await loadActivePolicies(store.db);
    const options = {
      policies,
      bands: config.company.bands,
      read: { company: true, industry: true, source: true },
    };
    const whole = await readCherryPickColumns(store.db, options);
    const lower = await readCherryPickColumns(store.db, { ...options, ids: { upTo: 450 } });
    const upper = await readCherryPickColumns(store.db, { ...options, ids: { after: 450 } });
    expect(lower.n).toBeGreaterThan(100);
    expect(upper.n).toBeGreaterThan(100);
    // The parts number their strings apart: the join carries the upper part's codes over.
    expect(upper.strings).not.toEqual(lower.strings);
    expect(decoded(concatColumns([lower, upper]))).toEqual(decoded(whole));
  });

  it('gives the same report when a worker thread reads parts of the ids (SQLite files)', async () => {
    const build = {
      config,
      by: 'rep' as const,
      attributes: ['seniority', 'company', 'industry'] as AttributeKind[],
      now: end + 5 * D,
      bySource: true,
      conversionRate: 0.1,
      dealSize: 5000,
    };
    const one: { readers?: number } = {};
    const two: { readers?: number } = {};
    const expected = await cherryPickReportFromStore(store.db, { ...build, timings: one });
    const split = await cherryPickReportFromStore(store.db, { ...build, splitFrom: 0, timings: two });
    expect(one.readers).toBe(1);
    expect(two.readers).toBe(engine.name === 'sqlite' ? 2 : 1);
    expect(split).toEqual(expected);
    expect(expected.assessments.some((a) => a.verdict !== 'not_enough_data')).toBe(true);
  });

  it('a worker read that fails rejects (the caller reads the part itself), and the next one works', async () => {
    const { policies } = await loadActivePolicies(store.db);
    const options = {
      policies,
      bands: config.company.bands,
      read: { company: false, industry: false, source: false },
    };
    // Parts claimed from shared memory: the first part here, the second left to the worker.
    const parts = () => ({ bounds: [0, 450, 100_000], claim: new Int32Array(new SharedArrayBuffer(4)) });
    await expect(
      readPartsInWorker(join(tmpdir(), 'no-such-dir', 'missing.db'), options, parts()),
    ).rejects.toThrow(/column reader/);
    if (engine.name !== 'sqlite') return;
    const shared = parts();
    Atomics.add(shared.claim, 0, 1);
    const read = await readPartsInWorker(store.location, options, shared);
    expect(read.map((p) => p.part)).toEqual([1]);
    const here = await readCherryPickColumns(store.db, { ...options, ids: { after: 450 } });
    expect(decoded(read[0]!.columns)).toEqual(decoded(here));
    expect(Atomics.load(shared.claim, 0)).toBe(3);
  });

  it('assesses the last attribute in the worker thread, or here when that fails: the same report', async () => {
    const { policies } = await loadActivePolicies(store.db);
    const columns = await readCherryPickColumns(store.db, {
      policies,
      bands: config.company.bands,
      read: { company: true, industry: true, source: true },
    });
    const build = {
      config,
      by: 'team' as const,
      attributes: ['industry', 'seniority', 'company'] as AttributeKind[],
      now: end + 5 * D,
      columns,
    };
    const expected = buildCherryPickReportFromColumns(build);
    // The worker's own answer is checked after the build (a throw inside would fall back).
    const sent: Array<{ there: unknown; here: unknown }> = [];
    const split = await buildCherryPickReportSplit(build, async (input) => {
      const there = await assessInWorker(input);
      sent.push({ there, here: assessAttribute(input) });
      return there;
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.there).toEqual(sent[0]!.here);
    expect(split).toEqual(expected);
    const failed = await buildCherryPickReportSplit(build, () => Promise.reject(new Error('no thread')));
    expect(failed).toEqual(expected);
  });

  it('reads the rejected leads apart or as a column of every lead: the same columns', async () => {
    // Rejections with a procedural reason, another reason and none, all with the attempts met: the
    // reason alone decides whether the lead counts as worked.
    await sql`update leads set status = 'rejected',
      disposition_reason = case id % 3 when 0 then 'duplicate' when 1 then 'bad timing' end
      where id % 5 = 0`.execute(store.db);
    await sql`update lead_stats set touches = 9, calls = 5, emails = 5, meetings = 1
      where lead_id % 5 = 0`.execute(store.db);
    const { policies } = await loadActivePolicies(store.db);
    const options = {
      policies,
      bands: config.company.bands,
      read: { company: false, industry: false, source: false },
    };
    const apart = await readCherryPickColumns(store.db, { ...options, rejectedApart: true });
    const column = await readCherryPickColumns(store.db, { ...options, rejectedApart: false });
    expect(decoded(apart)).toEqual(decoded(column));
    const rejected = Array.from(apart.leadId, (id, i) => ({ id, worked: apart.worked[i] })).filter(
      (l) => l.id % 5 === 0 && l.id % 3 !== 2,
    );
    // Not applicable ('duplicate'): not worked; another reason: worked (the attempts are met).
    expect(new Set(rejected.filter((l) => l.id % 3 === 0).map((l) => l.worked))).toEqual(new Set([0]));
    expect(new Set(rejected.filter((l) => l.id % 3 === 1).map((l) => l.worked))).toEqual(new Set([1]));
  });

  // Runs last: it takes most leads' hand-over away.
  it('reads lead_stats alone (most leads handed over) or joined to the leads: the row path’s report', async () => {
    const build = {
      config,
      by: 'team' as const,
      attributes: ['seniority', 'company'] as AttributeKind[],
      now: end + 5 * D,
      vineLimit: 30,
    };
    const handedOverShare = async () => {
      const r = await sql<{
        share: number;
      }>`select 1.0 * sum(case when handed_over_at is not null then 1 else 0 end) / count(*) as share from leads`.execute(
        store.db,
      );
      return Number(r.rows[0]!.share);
    };
    const viaRows = async () =>
      buildCherryPickReport({ rows: await loadCherryPickRows(store.db, { now: build.now }), ...build });
    expect(await handedOverShare()).toBeGreaterThan(0.5);
    expect(await cherryPickReportFromStore(store.db, build)).toEqual(await viaRows());
    await sql`update leads set handed_over_at = null where id % 10 < 7`.execute(store.db);
    expect(await handedOverShare()).toBeLessThan(0.5);
    const joined = await cherryPickReportFromStore(store.db, build);
    expect(joined).toEqual(await viaRows());
    expect(joined.leads).toBeGreaterThan(100);
  });
});
