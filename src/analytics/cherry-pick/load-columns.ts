import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { TierBands } from '../../attributes/company.ts';
import { evaluateWorkedColumns } from '../../sla/evaluate-columns.ts';
import { readReps } from '../../sla/lead-facts.ts';
import { policiesMatchOn, type SlaPolicy, unmatchedFields } from '../../sla/policy.ts';
import { loadActivePolicies } from '../../sla/policy-store.ts';
import { sqliteFileOf } from '../../store/open-store.ts';
import type { Database } from '../../store/schema.ts';
import { type ColumnKind, forEachColumnPage, typedColumnPages } from '../../store/select-columns.ts';
import { assessInWorker, readPartsInWorker } from './column-reader.ts';
import { type CherryPickColumns, concatColumns, stringCodes, tierCode } from './columns.ts';
import {
  buildCherryPickReportFromColumns,
  buildCherryPickReportSplit,
  type CherryPickColumnOptions,
  type CherryPickReport,
} from './report.ts';

export type CherryPickFilter = { since?: number | undefined; until?: number | undefined };

/** What readCherryPickColumns reads: the filter, the SLA policies and tier bands, optional columns. */
export type CherryPickReadOptions = CherryPickFilter & {
  policies: readonly SlaPolicy[];
  bands: TierBands;
  /**
   * Optional columns the report needs: company names and domains (brands), industries, sources
   * (strata by source, a filter by source). Sources are read anyway when a policy matches on them.
   */
  read: { company: boolean; industry: boolean; source: boolean };
  /** Only the leads with after < id ≤ upTo (a part of the id range, read by one of two threads). */
  ids?: { after?: number; upTo?: number };
  /**
   * Read the rejected leads apart (true) or as a column of every lead (false); by default apart when
   * they are at most 1 in 20 of the id range (tests set it to read both ways).
   */
  rejectedApart?: boolean;
};

/**
 * The handed-over leads (hand-over in [since, until)) as cherry-pick columns, with "worked" from the
 * SLA engine (evaluateWorkedColumns). Two keyset-paged column reads — the leads, and lead_stats joined
 * from its side (rowid look-ups of leads, only for leads with stats: measured cheaper than joining
 * lead_stats to every lead) with the four attempt counters packed into one integer (packedCounters) —
 * merged by lead id. Reads only what the
 * report needs: company names and domains only when brands are configured, industries only when an
 * industry attribute is assessed, sources only for strata or a filter by source or when a policy
 * matches on them, campaign and segment only when a policy matches on them, and the disposition reason
 * only for rejections (the one status "worked" depends on). External ids are left out (the report lists
 * a few leads; cherryPickReportFromStore reads theirs).
 */
export async function readCherryPickColumns(
  db: Kysely<Database>,
  options: CherryPickReadOptions,
): Promise<CherryPickColumns> {
  const ids = options.ids ?? {};
  const from = (after: number) => Math.max(after, ids.after ?? after);
  const omit = unmatchedFields(options.policies);
  const counters = packedCounters(options.policies);
  const readSource = options.read.source || policiesMatchOn(options.policies, 'sources');
  const range = await leadIdRange(db);
  const span =
    Math.min(range.hi, ids.upTo ?? Number.POSITIVE_INFINITY) -
    Math.max(range.lo, (ids.after ?? Number.NEGATIVE_INFINITY) + 1) +
    1;
  const rejectedWhere = <Q extends RejectedQuery>(q: Q, after: number): Q => {
    let w = q
      .where('l.status', '=', 'rejected')
      .where('l.handed_over_at', 'is not', null)
      .where(sql.ref('l.id'), '>', from(after)) as Q;
    if (ids.upTo !== undefined) w = w.where('l.id', '<=', ids.upTo) as Q;
    if (options.since !== undefined) w = w.where('l.handed_over_at', '>=', options.since) as Q;
    if (options.until !== undefined) w = w.where('l.handed_over_at', '<', options.until) as Q;
    return w;
  };
  // Rejections (the one status "worked" reads) apart, through the (status, handed_over_at) index, when
  // they are few: a rejection-reason column for every lead (null but for them) costs ~100 ms per
  // million leads to read, a rejected lead read apart a look-up of its row (~10× a column's value).
  const rejectedApart =
    options.rejectedApart ??
    Number(
      (
        await rejectedWhere(
          db.selectFrom('leads as l').select((eb) => eb.fn.countAll().as('n')),
          -(2 ** 53),
        ).executeTakeFirst()
      )?.n ?? 0,
    ) *
      20 <=
      span;
  const kinds: Record<string, ColumnKind> = {
    id: 'int',
    score: 'real',
    title: 'text',
    employees: 'real',
    annual_revenue: 'real',
    owner_rep_id: 'int',
    ...(readSource ? { source: 'text' } : {}),
    handed_over_at: 'int',
    ...(rejectedApart ? {} : { rejected_reason: 'text' }),
    ...(options.read.company ? { company: 'text', company_domain: 'text' } : {}),
    ...(options.read.industry ? { industry: 'text' } : {}),
    ...(omit.includes('campaign') ? {} : { campaign: 'text' }),
    ...(omit.includes('segment') ? {} : { segment: 'text' }),
  };
  const dict = stringCodes();
  const page = typedColumnPages(kinds, dict.code);
  await forEachColumnPage(
    db,
    {
      page: (after) => {
        let q = db
          .selectFrom('leads as l')
          .select([
            'l.id',
            'l.score',
            'l.title',
            'l.employees',
            'l.annual_revenue',
            'l.owner_rep_id',
            ...(readSource ? (['l.source'] as const) : []),
            'l.handed_over_at',
            // '' for a rejection without a reason: the policies' reason lists read null as ''.
            ...(rejectedApart
              ? []
              : [
                  sql<
                    string | null
                  >`case when l.status = 'rejected' then coalesce(l.disposition_reason, '') end`.as(
                    'rejected_reason',
                  ),
                ]),
            ...(options.read.company ? (['l.company', 'l.company_domain'] as const) : []),
            ...(options.read.industry ? (['l.industry'] as const) : []),
            ...(omit.includes('campaign') ? [] : (['l.campaign'] as const)),
            ...(omit.includes('segment') ? [] : (['l.segment'] as const)),
          ])
          .where('l.handed_over_at', 'is not', null)
          .where(sql.ref('l.id'), '>', from(after));
        if (ids.upTo !== undefined) q = q.where('l.id', '<=', ids.upTo);
        if (options.since !== undefined) q = q.where('l.handed_over_at', '>=', options.since);
        if (options.until !== undefined) q = q.where('l.handed_over_at', '<', options.until);
        return q;
      },
      columns: kinds,
      orderBy: 'id',
      code: dict.code,
    },
    page.add,
  );
  const n = page.rows();
  const leadIds = page.numbers('id');
  const rejectedKinds = { id: 'int', reason: 'text' } as const;
  const rejected = typedColumnPages(rejectedKinds, dict.code);
  if (n > 0 && rejectedApart)
    await forEachColumnPage(
      db,
      {
        page: (after) =>
          rejectedWhere(
            db.selectFrom('leads as l').select(['l.id', 'l.disposition_reason as reason']),
            after,
          ),
        columns: rejectedKinds,
        orderBy: 'id',
        code: dict.code,
      },
      rejected.add,
    );
  // lead_stats of the leads read, from lead_stats' side. Where most leads of the id range are handed
  // over, lead_stats alone between the first and last lead id read (measured ~30 % cheaper than
  // looking each row's lead up; the merge below passes over the rows of other leads); else joined
  // to the handed-over leads.
  const alone = 2 * n >= span;
  const statKinds: Record<string, ColumnKind> = {
    lead_id: 'int',
    first_touch_at: 'int',
    ...Object.fromEntries(counters.map((_, k) => [`attempts${k}`, 'int'])),
  };
  const stats = typedColumnPages(statKinds, dict.code);
  if (n > 0)
    await forEachColumnPage(
      db,
      {
        page: (after) => {
          const select = [
            's.lead_id',
            's.first_touch_at',
            ...counters.map((c, k) => c.sql.as(`attempts${k}`)),
          ] as const;
          if (alone)
            return db
              .selectFrom('lead_stats as s')
              .select(select)
              .where(sql.ref('s.lead_id'), '>', Math.max(after, leadIds[0]! - 1))
              .where('s.lead_id', '<=', leadIds[n - 1]!);
          let q = db
            .selectFrom('lead_stats as s')
            .innerJoin('leads as l', 'l.id', 's.lead_id')
            .select(select)
            .where('l.handed_over_at', 'is not', null)
            .where(sql.ref('s.lead_id'), '>', from(after));
          if (ids.upTo !== undefined) q = q.where('s.lead_id', '<=', ids.upTo);
          if (options.since !== undefined) q = q.where('l.handed_over_at', '>=', options.since);
          if (options.until !== undefined) q = q.where('l.handed_over_at', '<', options.until);
          return q;
        },
        columns: statKinds,
        orderBy: 'lead_id',
        code: dict.code,
      },
      stats.add,
    );
  const reps = await readReps(db);

  const text = (name: string): Int32Array => (name in kinds ? page.codes(name) : new Int32Array(n).fill(-1));
  const numbers = (name: string): Float64Array => (name === 'id' ? leadIds : page.numbers(name));
  // Status and disposition reason per lead: 'rejected' and its reason for the rejected leads, null for
  // the others ("worked" reads no other status). Read apart, they are merged by id (both reads are in
  // id order).
  const rejectedCode = dict.code('rejected');
  const rejectedReason = rejectedApart ? new Int32Array(n).fill(-1) : text('rejected_reason');
  const status = rejectedApart
    ? new Int32Array(n).fill(-1)
    : rejectedReason.map((r) => (r >= 0 ? rejectedCode : -1));
  const rejectedIds = rejected.numbers('id');
  const rejectedReasons = rejected.codes('reason');
  for (let k = 0, i = 0; k < rejectedIds.length; k++) {
    const id = rejectedIds[k]!;
    while (i < n && leadIds[i]! < id) i++;
    if (i === n) break;
    if (leadIds[i] !== id) continue;
    status[i] = rejectedCode;
    rejectedReason[i] = rejectedReasons[k]!;
  }
  // The company tier per lead (measured: cheaper than the same comparisons in SQL).
  const employees = numbers('employees');
  const revenue = numbers('annual_revenue');
  const tier = new Uint8Array(n);
  // One argument object for every lead (no allocation per lead); NaN reads as no value.
  const company: Parameters<typeof tierCode>[0] = {
    employees: null,
    annualRevenue: null,
    bands: options.bands,
  };
  for (let i = 0; i < n; i++) {
    const e = employees[i]!;
    const r = revenue[i]!;
    company.employees = Number.isNaN(e) ? null : e;
    company.annualRevenue = Number.isNaN(r) ? null : r;
    tier[i] = tierCode(company);
  }
  const cols: CherryPickColumns = {
    n,
    strings: dict.strings,
    leadId: numbers('id'),
    score: numbers('score'),
    title: text('title'),
    company: text('company'),
    companyDomain: text('company_domain'),
    tier,
    industry: text('industry'),
    repId: numbers('owner_rep_id'),
    repName: new Int32Array(n),
    teamId: new Float64Array(n),
    teamName: new Int32Array(n),
    source: text('source'),
    handedOverAt: numbers('handed_over_at'),
    firstTouchAt: new Float64Array(n).fill(Number.NaN),
    worked: new Uint8Array(n),
  };
  // Rep and team per lead, looked up once per rep.
  const repCodes = new Map<number, { name: number; teamId: number; teamName: number }>();
  for (let i = 0; i < n; i++) {
    const id = cols.repId[i]!;
    let r = Number.isNaN(id) ? undefined : repCodes.get(id);
    if (!r) {
      const rep = Number.isNaN(id) ? undefined : reps.get(id);
      r = {
        name: dict.code(rep?.name),
        teamId: rep?.team_id ?? Number.NaN,
        teamName: dict.code(rep?.team_name),
      };
      if (!Number.isNaN(id)) repCodes.set(id, r);
    }
    cols.repName[i] = r.name;
    cols.teamId[i] = r.teamId;
    cols.teamName[i] = r.teamName;
  }
  // lead_stats merged in by lead id (both reads are in id order), the attempt counters unpacked; a lead
  // without stats has no touches.
  const counts = {
    touches: new Int32Array(n),
    calls: new Int32Array(n),
    emails: new Int32Array(n),
    meetings: new Int32Array(n),
  };
  const statLead = stats.numbers('lead_id');
  const statFirst = stats.numbers('first_touch_at');
  const packed = counters.map((_, k) => stats.numbers(`attempts${k}`));
  // Each packed integer's digits: the counter column it fills and its radix.
  const digits = counters.map((c) => c.fields.map((f) => ({ out: counts[f.name], radix: f.radix })));
  for (let k = 0, i = 0; k < statLead.length; k++) {
    const id = statLead[k]!;
    while (i < n && cols.leadId[i]! < id) i++;
    if (i === n) break;
    if (cols.leadId[i] !== id) continue;
    cols.firstTouchAt[i] = statFirst[k]!;
    for (let g = 0; g < digits.length; g++) {
      let v = packed[g]![k]!;
      for (const f of digits[g]!) {
        f.out[i] = (v % f.radix) - 1;
        v = Math.floor(v / f.radix);
      }
    }
  }
  cols.worked = evaluateWorkedColumns({
    cols: {
      n,
      strings: dict.strings,
      source: cols.source,
      campaign: text('campaign'),
      segment: text('segment'),
      score: cols.score,
      status,
      dispositionReason: rejectedReason,
      ownerRepId: cols.repId,
      handedOverAt: cols.handedOverAt,
      firstTouchAt: cols.firstTouchAt,
      ...counts,
    },
    policies: options.policies,
    repTimeZone: (id) => reps.get(id)?.time_zone ?? null,
  });
  return cols;
}

/**
 * The smallest and largest lead id (0 when there is none), each looked up in the primary key: asked
 * for both in one select, SQLite scans the whole table instead (measured ~100 ms per million leads).
 */
async function leadIdRange(db: Kysely<Database>): Promise<{ lo: number; hi: number }> {
  const { rows } = await sql<{ lo: number | string | null; hi: number | string | null }>`
    select (select min(id) from leads) as lo, (select max(id) from leads) as hi`.execute(db);
  return { lo: Number(rows[0]?.lo ?? 0), hi: Number(rows[0]?.hi ?? 0) };
}

type Counter = 'touches' | 'calls' | 'emails' | 'meetings';
// biome-ignore lint/suspicious/noExplicitAny: a select of leads as l, whatever it selects.
type RejectedQuery = SelectQueryBuilder<Database & { l: Database['leads'] }, 'l', any>;

/**
 * The attempt counters packed into as few integers as possible. "Worked" only compares each counter
 * with the policies' minimums, so a counter is clamped to [-1, the largest minimum] (exact for those
 * comparisons) and stored + 1 in a digit of that radix; digits go into one integer while the product
 * of the radices stays below 2^53 (one integer unless a minimum is in the thousands).
 */
export function packedCounters(policies: readonly SlaPolicy[]) {
  const names: Counter[] = ['touches', 'calls', 'emails', 'meetings'];
  const groups: Array<{ fields: Array<{ name: Counter; radix: number }>; sql: RawBuilder<number> }> = [];
  let fields: Array<{ name: Counter; radix: number }> = [];
  let product = 1;
  const close = () => {
    // digit_0 + radix_0 · (digit_1 + radix_1 · (…)), null without a lead_stats row.
    let expr: RawBuilder<number> | null = null;
    for (let k = fields.length - 1; k >= 0; k--) {
      const f = fields[k]!;
      const max = f.radix - 2;
      const x = sql.ref(`s.${f.name}`);
      const digit = sql<number>`cast(case when ${x} >= ${sql.lit(max)} then ${sql.lit(max + 1)} when ${x} >= 0 then ${x} + 1 else 0 end as bigint)`;
      expr = expr === null ? digit : sql<number>`(${digit} + ${sql.lit(f.radix)} * ${expr})`;
    }
    groups.push({ fields, sql: expr! });
    fields = [];
    product = 1;
  };
  for (const name of names) {
    const radix = Math.max(0, ...policies.map((p) => p.attempts[name])) + 2;
    if (fields.length > 0 && product * radix > 2 ** 53) close();
    fields.push({ name, radix });
    product *= radix;
  }
  close();
  return groups;
}
/** The leads a caller may see, by owner, team and source (a manager's team, a request's filters). */
export type CherryPickKeep = (lead: {
  repId: number | null;
  teamId: number | null;
  source: string | null;
}) => boolean;

/** The columns of the leads `keep` accepts, in the same order. */
export function keepLeads(cols: CherryPickColumns, keep: CherryPickKeep): CherryPickColumns {
  const kept: number[] = [];
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  for (let i = 0; i < cols.n; i++) {
    const source = cols.source[i]! < 0 ? null : cols.strings[cols.source[i]!]!;
    if (keep({ repId: orNull(cols.repId[i]!), teamId: orNull(cols.teamId[i]!), source })) kept.push(i);
  }
  const pick = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(kept.length);
    for (let k = 0; k < kept.length; k++) out[k] = a[kept[k]!]!;
    return out;
  };
  return {
    n: kept.length,
    strings: cols.strings,
    leadId: pick(cols.leadId),
    score: pick(cols.score),
    title: pick(cols.title),
    company: pick(cols.company),
    companyDomain: pick(cols.companyDomain),
    tier: pick(cols.tier),
    industry: pick(cols.industry),
    repId: pick(cols.repId),
    repName: pick(cols.repName),
    teamId: pick(cols.teamId),
    teamName: pick(cols.teamName),
    source: pick(cols.source),
    handedOverAt: pick(cols.handedOverAt),
    firstTouchAt: pick(cols.firstTouchAt),
    worked: pick(cols.worked),
    ...(cols.externalId ? { externalId: kept.map((i) => cols.externalId![i]!) } : {}),
  };
}

/**
 * The id range cut into parts that two threads claim one at a time (`claim[0]` is the next part's
 * index, taken with Atomics.add), so that the thread that gets more CPU reads more parts: part k is
 * the leads with bounds[k] < id ≤ bounds[k + 1].
 */
export type ClaimedParts = { bounds: number[]; claim: Int32Array };

/** readCherryPickColumns of each part this thread claims, until none is left. */
export async function readClaimedParts(
  db: Kysely<Database>,
  options: CherryPickReadOptions,
  parts: ClaimedParts,
): Promise<Array<{ part: number; columns: CherryPickColumns }>> {
  const read: Array<{ part: number; columns: CherryPickColumns }> = [];
  for (;;) {
    const k = Atomics.add(parts.claim, 0, 1);
    if (k >= parts.bounds.length - 1) return read;
    const ids = { after: parts.bounds[k]!, upTo: parts.bounds[k + 1]! };
    read.push({ part: k, columns: await readCherryPickColumns(db, { ...options, ids }) });
  }
}

/**
 * readCherryPickColumns, on a SQLite file whose lead ids span at least `splitFrom`, in two threads:
 * the id range is cut into four parts, which this thread and a worker thread (column-reader.ts, on
 * a connection of its own) claim one at a time (the machine's other load decides which thread reads
 * more: measured, halves fixed in advance left one thread idle ~200 ms of ~1,100), and the parts are
 * joined in id order (the same columns). When the worker fails, this thread reads its parts too.
 */
async function readColumnsInParts(
  db: Kysely<Database>,
  options: CherryPickReadOptions,
  splitFrom: number,
): Promise<{ columns: CherryPickColumns; readers: number }> {
  const file = sqliteFileOf(db);
  const { lo, hi } = file ? await leadIdRange(db) : { lo: 0, hi: 0 };
  if (!file || !(hi - lo >= splitFrom) || hi === lo)
    return { columns: await readCherryPickColumns(db, options), readers: 1 };
  const count = 4;
  const bounds = Array.from({ length: count + 1 }, (_, k) =>
    k === count ? hi : lo - 1 + Math.floor(((hi - lo + 1) * k) / count),
  );
  const parts = { bounds, claim: new Int32Array(new SharedArrayBuffer(4)) };
  const inWorker = readPartsInWorker(file, options, parts).then(
    (read) => read,
    () => null,
  );
  const read = new Map<number, CherryPickColumns>();
  for (const r of await readClaimedParts(db, options, parts)) read.set(r.part, r.columns);
  const theirs = await inWorker;
  for (const r of theirs ?? []) read.set(r.part, r.columns);
  const joined: CherryPickColumns[] = [];
  for (let k = 0; k < count; k++)
    joined.push(
      read.get(k) ??
        (await readCherryPickColumns(db, { ...options, ids: { after: bounds[k]!, upTo: bounds[k + 1]! } })),
    );
  return { columns: concatColumns(joined), readers: theirs ? 2 : 1 };
}

/**
 * The cherry-pick report straight from the store: the columns the config needs, the report, then the
 * external ids (and company names, when not read) of the few leads it lists. The same report as
 * buildCherryPickReport over loadCherryPickRows (an equivalence test pins it).
 */
export async function cherryPickReportFromStore(
  db: Kysely<Database>,
  options: Omit<CherryPickColumnOptions, 'columns'> &
    CherryPickFilter & {
      keep?: CherryPickKeep;
      /**
       * On a SQLite file, the lead columns are read by two threads (parts of the lead ids) when
       * the ids span at least this many (default 100,000); with at least this many leads read, the
       * last attribute's groups are assessed in the second thread.
       */
      splitFrom?: number;
      /** Filled with the time spent in each step and the threads that read the columns (benchmarks). */
      timings?: {
        readMs?: number;
        readCpuMs?: number;
        readers?: number;
        buildMs?: number;
        buildCpuMs?: number;
      };
    },
): Promise<CherryPickReport> {
  const { since, until, keep, timings, splitFrom, ...build } = options;
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t0 = performance.now();
  const c0 = cpu();
  const { policies } = await loadActivePolicies(db);
  const hasBrands =
    options.config.company.brands.names.length > 0 || options.config.company.brands.domains.length > 0;
  // Brands shape the heatmap's company tier even when the company attribute is not assessed.
  const read = {
    company: hasBrands,
    industry: options.attributes.includes('industry'),
    source: Boolean(options.bySource) || keep !== undefined,
  };
  const { columns: read2, readers } = await readColumnsInParts(
    db,
    { since, until, policies, bands: options.config.company.bands, read },
    splitFrom ?? 100_000,
  );
  let columns = read2;
  if (keep) columns = keepLeads(columns, keep);
  const t1 = performance.now();
  const c1 = cpu();
  // At scale the last attribute's groups are assessed by the column reader's thread meanwhile.
  const report =
    columns.n >= (splitFrom ?? 100_000)
      ? await buildCherryPickReportSplit({ ...build, columns }, assessInWorker)
      : buildCherryPickReportFromColumns({ ...build, columns });
  const listed = report.leftOnTheVine.leads;
  if (listed.length > 0) {
    const found = await db
      .selectFrom('leads')
      .select(['id', 'external_id', 'company'])
      .where(
        'id',
        'in',
        listed.map((l) => l.leadId),
      )
      .execute();
    const byId = new Map(found.map((r) => [Number(r.id), r]));
    for (const l of listed) {
      const r = byId.get(l.leadId);
      l.externalId = r?.external_id ?? '';
      if (!read.company) l.company = r?.company ?? null;
    }
  }
  if (timings) {
    timings.readMs = t1 - t0;
    timings.readCpuMs = c1 - c0;
    timings.readers = readers;
    timings.buildMs = performance.now() - t1;
    timings.buildCpuMs = cpu() - c1;
  }
  return report;
}
