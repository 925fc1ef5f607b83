import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { sharedDataDir, sharedDataPath } from '../testing/shared-data.ts';
import { repsMapping } from './equivalence-fixtures.ts';
import { type ImportProgress, importFile } from './import-file.ts';

const readCsv = (path: string): Record<string, string>[] =>
  parse(readFileSync(path), { columns: true, bom: true, relax_column_count: true });
const count = async (
  store: Store,
  table: 'leads' | 'reps' | 'opportunities' | 'lead_events' | 'import_runs',
) =>
  Number(
    (
      await store.db
        .selectFrom(table)
        .select(store.db.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe.each(testEngines())('import on $name', (engine) => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    store = await engine.open();
    dir = mkdtempSync(join(tmpdir(), 'gleaner-import-'));
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe.skipIf(!sharedDataDir)('the Olist funnel (../shared/data)', () => {
    const mqlFile = () =>
      sharedDataPath('olist_marketing_funnel', 'olist_marketing_qualified_leads_dataset.csv');
    const dealsFile = () => sharedDataPath('olist_marketing_funnel', 'olist_closed_deals_dataset.csv');
    const kinds = ['reps', 'opportunities', 'lead-events'] as const;

    it('imports every MQL, deal, SDR and closer', async () => {
      const mqls = readCsv(mqlFile());
      const deals = readCsv(dealsFile());
      const leads = await importFile({ store, kind: 'leads', file: mqlFile() });
      expect(leads).toMatchObject({
        preset: 'olist-mql',
        presetChosen: 'detected',
        read: 8000,
        inserted: 8000,
        rejected: 0,
      });
      for (const kind of kinds) {
        const s = await importFile({ store, kind, file: dealsFile() });
        expect(s).toMatchObject({ preset: 'olist-deals', read: 842, rejected: 0 });
      }
      expect(await count(store, 'leads')).toBe(8000);
      expect(await count(store, 'opportunities')).toBe(842);
      expect(await count(store, 'lead_events')).toBe(842);
      const repIds = new Set(deals.flatMap((d) => [d.sdr_id, d.sr_id]).filter(Boolean));
      const reps = await store.db.selectFrom('reps').select('external_id').execute();
      expect(new Set(reps.map((r) => r.external_id))).toEqual(repIds);
      // A rep's team is where the file first names them (SDR before closer within a row).
      const firstTeam = new Map<string, string>();
      for (const d of deals) {
        if (d.sdr_id && !firstTeam.has(d.sdr_id)) firstTeam.set(d.sdr_id, 'SDR');
        if (d.sr_id && !firstTeam.has(d.sr_id)) firstTeam.set(d.sr_id, 'Closers');
      }
      const teamSize = (t: string) => [...firstTeam.values()].filter((v) => v === t).length;
      const byTeam = await store.db
        .selectFrom('reps')
        .innerJoin('teams', 'teams.id', 'reps.team_id')
        .select(['teams.name', store.db.fn.countAll<number>().as('n')])
        .groupBy('teams.name')
        .execute();
      expect(Object.fromEntries(byTeam.map((t) => [t.name, Number(t.n)]))).toEqual({
        SDR: teamSize('SDR'),
        Closers: teamSize('Closers'),
      });

      // Counts per status and the 60 MQLs with an empty origin.
      const emptyOrigin = mqls.filter((m) => m.origin === '').length;
      expect(emptyOrigin).toBe(60);
      const nullSource = await store.db
        .selectFrom('leads')
        .select('id')
        .where('source', 'is', null)
        .execute();
      expect(nullSource).toHaveLength(60);
      const qualified = await store.db
        .selectFrom('leads')
        .select('id')
        .where('status', '=', 'qualified')
        .execute();
      expect(qualified).toHaveLength(842);
    });

    it('keeps and flags the deal won before its first contact', async () => {
      const lead = await store.db
        .selectFrom('leads')
        .selectAll()
        .where('external_id', '=', 'b91cf8812365f50ff4bda4bcd6206b05')
        .executeTakeFirstOrThrow();
      expect(lead.flags).toBe('won_before_first_contact');
      expect(lead.status).toBe('qualified');
      // first_contact_date 2018-03-08, won 2018-03-06 19:38:55, both São Paulo time (UTC-3 in March 2018).
      expect(lead.handed_over_at).toBe(Date.parse('2018-03-08T03:00:00Z'));
      expect(lead.converted_at).toBe(Date.parse('2018-03-06T22:38:55Z'));
      const flagged = await store.db
        .selectFrom('leads')
        .select('external_id')
        .where('flags', 'is not', null)
        .execute();
      expect(flagged.map((f) => f.external_id)).toEqual(['b91cf8812365f50ff4bda4bcd6206b05']);
    });

    it('stores sampled values exactly', async () => {
      const lead = await store.db
        .selectFrom('leads')
        .leftJoin('reps', 'reps.id', 'leads.owner_rep_id')
        .select([
          'leads.handed_over_at',
          'leads.source',
          'leads.landing_page',
          'leads.status',
          'reps.external_id as owner',
        ])
        .where('leads.external_id', '=', '5420aad7fec3549a85876ba1c529bd84')
        .executeTakeFirstOrThrow();
      expect(lead).toEqual({
        handed_over_at: Date.parse('2018-02-21T03:00:00Z'),
        source: 'organic_search',
        landing_page: 'b48ec5f3b04e9068441002a19df93c6c',
        status: 'qualified',
        owner: 'a8387c01a09e99ce014107505b92388c',
      });
      const opp = await store.db
        .selectFrom('opportunities')
        .innerJoin('reps', 'reps.id', 'opportunities.owner_rep_id')
        .select([
          'opportunities.closed_at',
          'opportunities.won',
          'opportunities.amount',
          'opportunities.extra',
          'reps.external_id as owner',
        ])
        .where('opportunities.external_id', '=', 'olist-deal:5420aad7fec3549a85876ba1c529bd84')
        .executeTakeFirstOrThrow();
      expect(opp).toMatchObject({
        closed_at: Date.parse('2018-02-26T22:58:54Z'),
        won: 1,
        amount: 0,
        owner: '4ef15afb4b2723d8f3d81e51ec7afefe',
      });
      expect(JSON.parse(opp.extra ?? '{}')).toMatchObject({
        business_segment: 'pet',
        lead_type: 'online_medium',
      });
    });

    it('changes nothing when the same files are imported again', async () => {
      const again = await importFile({ store, kind: 'leads', file: mqlFile() });
      expect(again).toMatchObject({ read: 8000, inserted: 0, updated: 0, unchanged: 8000, rejected: 0 });
      for (const kind of kinds) {
        const s = await importFile({ store, kind, file: dealsFile() });
        expect(s).toMatchObject({ inserted: 0, updated: 0, rejected: 0, leadsUpdated: 0 });
      }
      expect(await count(store, 'leads')).toBe(8000);
      expect(await count(store, 'lead_events')).toBe(842);
      const runs = await store.db.selectFrom('import_runs').select(['status', 'summary']).execute();
      expect(runs).toHaveLength(8);
      expect(runs.every((r) => r.status === 'done')).toBe(true);
      expect(JSON.parse(runs[4]?.summary ?? '{}')).toMatchObject({ read: 8000, unchanged: 8000 });
    });
  });

  describe.skipIf(!sharedDataDir)('X Education (../shared/data)', () => {
    it('imports every lead with "Select" as empty', async () => {
      const file = sharedDataPath('x_education_leads', 'Leads_train.csv');
      const rows = readCsv(file);
      const s = await importFile({ store, kind: 'leads', file });
      expect(s).toMatchObject({ preset: 'x-education', read: 6422, inserted: 6422, rejected: 0 });
      const stats = await store.db
        .selectFrom('leads')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.count<number>('region').as('with_city'),
          eb.fn.count<number>('segment').as('with_occupation'),
        ])
        .where('external_id', 'like', '%-%-%-%')
        .executeTakeFirstOrThrow();
      const filled = (col: string) => rows.filter((r) => r[col] !== '' && r[col] !== 'Select').length;
      expect(Number(stats.n)).toBe(6422);
      expect(Number(stats.with_city)).toBe(filled('City'));
      expect(Number(stats.with_occupation)).toBe(filled('What is your current occupation'));
      const qualified = await store.db
        .selectFrom('leads')
        .select('id')
        .where('status', '=', 'qualified')
        .where('external_id', 'like', '%-%-%-%')
        .execute();
      expect(qualified).toHaveLength(rows.filter((r) => r.Converted === '1').length);
    });
  });

  it('reads the X Education sample that ships in the repo', async () => {
    const file = join(dir, 'x.csv');
    copyFileSync('test-fixtures/import/x-education-sample.csv', file);
    await importFile({ store, kind: 'leads', file, preset: 'x-education' });
    const lead = await store.db
      .selectFrom('leads')
      .select(['source', 'campaign', 'country', 'region', 'segment', 'status', 'extra'])
      .where('external_id', '=', '8cc8c611-a219-4f35-ad23-fdfd2656bd8a')
      .executeTakeFirstOrThrow();
    expect(lead).toMatchObject({
      source: 'Direct Traffic',
      campaign: 'Landing Page Submission',
      country: 'India',
      region: 'Mumbai',
      segment: 'Student',
      status: 'qualified',
    });
    const extra = JSON.parse(lead.extra ?? '{}');
    expect(extra).toMatchObject({
      Specialization: 'Business Administration',
      TotalVisits: '2',
      'Lead Quality': 'Might be',
    });
    expect(extra).not.toHaveProperty('How did you hear about X Education'); // "Select"
    const first = await store.db
      .selectFrom('leads')
      .select(['region', 'extra'])
      .where('external_id', '=', '2a272436-5132-4136-86fa-dcc88c88f482')
      .executeTakeFirstOrThrow();
    expect(first.region).toBeNull();
    expect(JSON.parse(first.extra ?? '{}')).not.toHaveProperty('Specialization');
  });

  it('reports each bad row with line, field and reason, writes the rejects CSV and commits the good rows', async () => {
    const file = join(dir, 'broken.csv');
    copyFileSync('test-fixtures/import/broken-leads.csv', file);
    const s = await importFile({ store, kind: 'leads', file });
    expect(s).toMatchObject({
      preset: 'gleaner-leads',
      read: 8,
      inserted: 2,
      rejected: 6,
      rejectsFile: `${file}.rejects.csv`,
    });
    expect(s.rejects).toEqual([
      { line: 3, field: 'handed_over_at', reason: '"2026-02-30" is not a valid date' },
      { line: 4, field: 'external_id', reason: 'is empty' },
      { line: 5, field: '(row)', reason: 'expected 15 columns, found 14' },
      { line: 7, field: 'handed_over_at', reason: expect.stringContaining('"03/04/2026" is ambiguous') },
      { line: 8, field: 'email', reason: '"not-an-email" is not an e-mail address' },
      { line: 9, field: 'status', reason: expect.stringContaining('"hot" is not a lifecycle status') },
    ]);
    const rejects = readCsv(`${file}.rejects.csv`);
    expect(rejects.map((r) => [r.line, r.field, r.external_id])).toEqual([
      ['3', 'handed_over_at', 'L2'],
      ['4', 'external_id', ''],
      ['5', '(row)', 'L4'],
      ['7', 'handed_over_at', 'L6'],
      ['8', 'email', 'L7'],
      ['9', 'status', 'L8'],
    ]);
    expect(rejects[0]?.reason).toBe('"2026-02-30" is not a valid date');
    const good = await store.db
      .selectFrom('leads')
      .select(['external_id', 'title', 'handed_over_at', 'status'])
      .where('external_id', 'in', ['L1', 'L2', 'L4', 'L5', 'L6', 'L7', 'L8'])
      .orderBy('external_id')
      .execute();
    expect(good).toEqual([
      { external_id: 'L1', title: 'CEO', handed_over_at: Date.parse('2026-01-05T09:00:00Z'), status: 'mql' },
      {
        external_id: 'L5',
        title: 'Director, Sales',
        handed_over_at: Date.parse('2026-01-09T14:30:00Z'),
        status: 'working',
      },
    ]);
  });

  it('keeps stray quotes as text and reports an unclosed quote by its line', async () => {
    const file = join(dir, 'quotes.csv');
    const header =
      'external_id,first_name,last_name,email,title,company,company_domain,industry,employees,country,source,campaign,score,handed_over_at,status';
    const row = (id: string, title: string) =>
      `${id},Ana,Silva,${id.toLowerCase()}@acme.example.com,${title},Acme,acme.example.com,Software,10,BR,web,c-1,5,2026-01-02,mql`;
    const rows = [
      row('Q1', '"CEO, ""Founder"""'),
      row('Q2', '"CEO" x'),
      row('Q3', 'CFO'),
      row('Q4', '5" screen'),
      row('Q5', '"VP, never closed'),
      row('Q6', 'CTO'),
    ];
    writeFileSync(file, [header, ...rows].join('\n'));
    const s = await importFile({ store, kind: 'leads', file });
    expect(s).toMatchObject({ read: 4, inserted: 4, rejected: 1 });
    expect(s.rejects.map((r) => [r.line, r.field, r.reason.split(':')[0]])).toEqual([
      [6, '(row)', 'Quote Not Closed'],
    ]);
    expect(s.rejects[0]?.reason).toMatch(/lines 6–7/);
    const titles = await store.db
      .selectFrom('leads')
      .select(['external_id', 'title'])
      .where('external_id', 'in', ['Q1', 'Q2', 'Q3', 'Q4'])
      .orderBy('external_id')
      .execute();
    expect(titles).toEqual([
      { external_id: 'Q1', title: 'CEO, "Founder"' },
      { external_id: 'Q2', title: '"CEO" x' },
      { external_id: 'Q3', title: 'CFO' },
      { external_id: 'Q4', title: '5" screen' },
    ]);
  });

  it('updates a changed row and leaves the others unchanged', async () => {
    const file = join(dir, 'change.csv');
    const header =
      'external_id,first_name,last_name,email,title,company,company_domain,industry,employees,country,source,campaign,score,handed_over_at,status';
    const rows = [1, 2, 3].map(
      (i) =>
        `C${i},Ana,Silva,ana${i}@acme.example.com,CEO,Acme ${i},acme.example.com,Software,10,BR,web,c-1,${i},2026-01-0${i},mql`,
    );
    writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
    expect(await importFile({ store, kind: 'leads', file })).toMatchObject({
      inserted: 3,
      updated: 0,
      unchanged: 0,
    });
    writeFileSync(
      file,
      `${header}\n${rows[0]}\n${rows[1]?.replace('Acme 2', 'Acme Two').replace(',2,2026', ',75,2026')}\n${rows[2]}\n`,
    );
    expect(await importFile({ store, kind: 'leads', file })).toMatchObject({
      inserted: 0,
      updated: 1,
      unchanged: 2,
    });
    const c2 = await store.db
      .selectFrom('leads')
      .select(['company', 'score'])
      .where('external_id', '=', 'C2')
      .executeTakeFirstOrThrow();
    expect(c2).toEqual({ company: 'Acme Two', score: 75 });
    const all = await store.db
      .selectFrom('leads')
      .select('id')
      .where('external_id', 'in', ['C1', 'C2', 'C3'])
      .execute();
    expect(all).toHaveLength(3);
  });

  it('finds a key repeated in a later batch of a first import (updated or unchanged, stored once)', async () => {
    const file = join(dir, 'repeat.csv');
    const header =
      'external_id,first_name,last_name,email,title,company,company_domain,industry,employees,country,source,campaign,score,handed_over_at,status';
    const row = (id: string, score: number) =>
      `${id},Ana,Silva,${id}@acme.example.com,CEO,Acme,acme.example.com,Software,10,BR,web,c-1,${score},2026-01-01,mql`;
    const rows = [
      row('R1', 1),
      row('R2', 2),
      row('R3', 3),
      row('R4', 4),
      row('R1', 10),
      row('R2', 2),
      row('R5', 5),
    ];
    writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
    // An empty store: batches of two (R1 R2 | R3 R4 | R1 R2 | R5) look up only the keys the import
    // already wrote, so the third batch finds R1 and R2.
    const empty = await engine.open();
    try {
      expect(await importFile({ store: empty, kind: 'leads', file, batchSize: 2 })).toMatchObject({
        read: 7,
        inserted: 5,
        updated: 1,
        unchanged: 1,
        rejected: 0,
      });
      const stored = await empty.db
        .selectFrom('leads')
        .select(['id', 'external_id', 'score'])
        .orderBy('external_id')
        .execute();
      // Ids without gaps: no batch failed on the unique key and ran again.
      expect(stored.map((r) => ({ ...r, id: Number(r.id) }))).toEqual([
        { id: 1, external_id: 'R1', score: 10 },
        { id: 2, external_id: 'R2', score: 2 },
        { id: 3, external_id: 'R3', score: 3 },
        { id: 4, external_id: 'R4', score: 4 },
        { id: 5, external_id: 'R5', score: 5 },
      ]);
    } finally {
      await empty.close();
    }
  });

  it('reports the index builds of a bulk load after its rows, then the end', async () => {
    const file = join(dir, 'bulk.csv');
    const header =
      'external_id,first_name,last_name,email,title,company,company_domain,industry,employees,country,source,campaign,score,handed_over_at,status';
    const rows = [1, 2, 3, 4].map(
      (i) =>
        `B${i},Ana,Silva,b${i}@bulk.example.com,CEO,Bulk,bulk.example.com,Software,10,BR,web,c-1,${i},2026-01-01,mql`,
    );
    writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
    const fresh = await engine.open();
    try {
      const progress: ImportProgress[] = [];
      await importFile({
        store: fresh,
        kind: 'leads',
        file,
        preset: 'gleaner-leads',
        batchSize: 2,
        deferIndexesFrom: 0,
        onProgress: (p) => progress.push(p),
      });
      const indexing = progress.filter((p) => p.indexes);
      const total = indexing[0]?.indexes?.total ?? 0;
      expect(total).toBeGreaterThan(0);
      // Every row is stored before the first build is reported; each build is heard once, in order.
      expect(indexing.map((p) => [p.rows, p.indexes?.built])).toEqual(
        Array.from({ length: total + 1 }, (_, built) => [4, built]),
      );
      expect(progress.indexOf(indexing[0] as ImportProgress)).toBeGreaterThan(0);
      expect(progress.at(-1)).toEqual({
        bytes: progress.at(-1)?.totalBytes,
        totalBytes: progress.at(-1)?.totalBytes,
        rows: 4,
      });
      expect(await fresh.db.selectFrom('deferred_indexes').selectAll().execute()).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('stops before writing anything when a required column is missing', async () => {
    const file = join(dir, 'missing.csv');
    writeFileSync(file, 'external_id,first_name,last_name,title,company\nM1,Ana,Silva,CEO,Acme\n');
    const before = await count(store, 'import_runs');
    await expect(importFile({ store, kind: 'leads', file, preset: 'gleaner-leads' })).rejects.toThrow(
      /missing required columns "email", "company_domain".*nothing was imported/,
    );
    expect(await store.db.selectFrom('leads').select('id').where('external_id', '=', 'M1').execute()).toEqual(
      [],
    );
    expect(await count(store, 'import_runs')).toBe(before);
  });

  it('names the unmatched columns and closest presets when auto-detection fails', async () => {
    const file = join(dir, 'unknown.csv');
    writeFileSync(file, 'Lead ID,Lead Source,Favourite Colour\n1,web,blue\n');
    await expect(importFile({ store, kind: 'leads', file })).rejects.toThrow(
      'unmatched columns: "Favourite Colour"; closest presets: salesforce-lead (2/3 columns; missing "Lead Status")',
    );
  });

  it('imports reps with identities and teams, and counts a dry run without writing', async () => {
    const file = join(dir, 'reps.csv');
    writeFileSync(
      file,
      'Id,Name,Email,Aliases,Phones,Team\nR1,Jane Roe,Jane@Acme.com,"j.roe@acme.com; jane@acme.io","(415) 555-0132",West\nR2,Jim Poe,jim@acme.com,,,West\n',
    );
    const mapping = repsMapping;
    const dry = await importFile({ store, kind: 'reps', file, mapping, dryRun: true });
    expect(dry).toMatchObject({ inserted: 2, dryRun: true });
    expect(
      await store.db.selectFrom('reps').select('id').where('external_id', 'in', ['R1', 'R2']).execute(),
    ).toEqual([]);
    expect(await importFile({ store, kind: 'reps', file, mapping })).toMatchObject({
      inserted: 2,
      rejected: 0,
    });
    const ids = await store.db
      .selectFrom('rep_identities')
      .innerJoin('reps', 'reps.id', 'rep_identities.rep_id')
      .select(['reps.external_id', 'rep_identities.kind', 'rep_identities.value'])
      .where('reps.external_id', 'in', ['R1', 'R2'])
      .orderBy('rep_identities.value')
      .execute();
    expect(ids.map((i) => `${i.external_id} ${i.kind} ${i.value}`)).toEqual([
      'R1 phone +14155550132',
      'R1 email j.roe@acme.com',
      'R1 email jane@acme.com',
      'R1 email jane@acme.io',
      'R2 email jim@acme.com',
    ]);
    const teams = await store.db
      .selectFrom('reps')
      .innerJoin('teams', 'teams.id', 'reps.team_id')
      .select('teams.name')
      .where('reps.external_id', 'in', ['R1', 'R2'])
      .execute();
    expect(teams.map((t) => t.name)).toEqual(['West', 'West']);
    expect(await importFile({ store, kind: 'reps', file, mapping })).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 2,
    });
  });
});
