import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type {
  AccountsTable,
  ActivitiesTable,
  Database,
  LeadEventsTable,
  LeadStatsTable,
  LeadsTable,
  OpportunitiesTable,
  RepsTable,
  TeamsTable,
} from '../store/schema.ts';

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same workspace everywhere. */
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

export type GenerateOptions = {
  seed: number;
  leads: number;
  reps: number;
  /** Mean activities (touches and replies) per worked lead; the bench uses ~20 for 2M per 100k leads. */
  activitiesPerLead: number;
  /** Hand-overs fall in [start, end). */
  start: number;
  end: number;
};

export type LeadBatch = {
  leads: Array<Insertable<LeadsTable> & { id: number }>;
  stats: Array<Insertable<LeadStatsTable>>;
  events: Array<Insertable<LeadEventsTable>>;
  activities: Array<Insertable<ActivitiesTable> & { id: number }>;
  opportunities: Array<Insertable<OpportunitiesTable> & { id: number }>;
};

export type GeneratedWorkspace = {
  teams: Array<Insertable<TeamsTable> & { id: number }>;
  reps: Array<Insertable<RepsTable> & { id: number }>;
  accounts: Array<Insertable<AccountsTable> & { id: number }>;
  /** Leads in id order, `size` at a time, with their stats, events, activities and opportunities. */
  batches: (size: number) => Generator<LeadBatch>;
};

const H = 3_600_000;
const D = 24 * H;
const sources: Array<[string, number]> = [
  ['demo_request', 0.1],
  ['webinar', 0.22],
  ['tradeshow', 0.14],
  ['partner', 0.1],
  ['web', 0.2],
  ['content', 0.14],
  ['cold', 0.1],
];
const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo'];
const rejectReasons = ['bad_fit', 'duplicate', 'wrong_territory', 'no_budget', 'student'];
const disqualifyReasons = ['no_budget', 'no_need', 'competitor', 'no_response', 'timing'];

/** A seeded, realistic-enough workspace: reps of varying diligence, touch cadences, outcomes and deals. */
export function generateWorkspace(options: GenerateOptions): GeneratedWorkspace {
  const rand = seededRandom(options.seed);
  const created = options.start - 30 * D;
  const teamCount = Math.max(1, Math.ceil(options.reps / 10));
  const teams = Array.from({ length: teamCount }, (_, i) => ({
    id: i + 1,
    name: `Team ${i + 1}`,
    created_at: created,
  }));
  const diligence: number[] = [];
  const reps = Array.from({ length: options.reps }, (_, i) => {
    diligence.push(0.15 + 0.85 * rand());
    return {
      id: i + 1,
      external_id: `rep-${i + 1}`,
      name: `Rep ${String(i + 1).padStart(3, '0')}`,
      email: `rep${i + 1}@seller.example`,
      team_id: (i % teamCount) + 1,
      time_zone: zones[i % zones.length]!,
      monthly_capacity_hours: i % 7 === 0 ? 120 : 160,
      created_at: created,
      updated_at: created,
    };
  });
  const accountCount = Math.max(1, Math.floor(options.leads / 3));
  const accounts = Array.from({ length: accountCount }, (_, i) => ({
    id: i + 1,
    external_id: `acc-${i + 1}`,
    name: `Account ${i + 1}`,
    domain: `acct${i + 1}.example`,
    created_at: created,
    updated_at: created,
  }));

  function* batches(size: number): Generator<LeadBatch> {
    let activityId = 1;
    let opportunityId = 1;
    const r = seededRandom(options.seed ^ 0x9e3779b9);
    const pickR = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const exp = (mean: number) => -Math.log(1 - r()) * mean;
    for (let first = 1; first <= options.leads; first += size) {
      const batch: LeadBatch = { leads: [], stats: [], events: [], activities: [], opportunities: [] };
      for (let id = first; id < Math.min(first + size, options.leads + 1); id += 1) {
        let u = r();
        let source = 'web';
        for (const [s, p] of sources) {
          if (u < p) {
            source = s;
            break;
          }
          u -= p;
        }
        const cold = source === 'cold';
        const repIndex = Math.floor(r() * options.reps);
        const rep = reps[repIndex]!;
        const dil = diligence[repIndex]!;
        const score = Math.round(r() * 100);
        const handedOver = Math.floor(options.start + r() * (options.end - options.start));
        const accountId = Math.floor(r() * accountCount) + 1;
        // How hard this lead is worked: never, a little, or a full cadence.
        const worked = r() < 0.35 + 0.6 * dil + (score > 70 ? 0.05 : 0);
        const target = worked ? Math.max(1, Math.round(exp(options.activitiesPerLead * (0.5 + dil)))) : 0;
        const touches: Array<{ at: number; kind: 'call' | 'email' | 'meeting' }> = [];
        let t = handedOver + exp(dil > 0.6 ? 10 * H : 40 * H);
        let responses = 0;
        let lastResponse: number | null = null;
        let effort = 0;
        for (let k = 0; k < target; k += 1) {
          const kindU = r();
          const reply = kindU < 0.08;
          const kind = reply ? 'email' : kindU < 0.52 ? 'call' : kindU < 0.92 ? 'email' : 'meeting';
          const minutes = reply
            ? 0
            : kind === 'call'
              ? 5 + Math.floor(r() * 15)
              : kind === 'email'
                ? 3
                : 30 + Math.floor(r() * 31);
          const at = Math.floor(t);
          batch.activities.push({
            id: activityId,
            kind,
            direction: reply ? 'inbound' : 'outbound',
            occurred_at: at,
            duration_seconds: kind === 'email' ? null : minutes * 60,
            effort_minutes: minutes,
            rep_id: rep.id,
            lead_id: id,
            account_id: accountId,
            source: 'gen',
            source_key: `a${activityId}`,
            is_touch: reply ? 0 : 1,
            is_response: reply ? 1 : 0,
            created_at: at,
          });
          activityId += 1;
          effort += minutes;
          if (reply) {
            responses += 1;
            lastResponse = at;
          } else touches.push({ at, kind });
          t += exp(dil > 0.5 ? 1.5 * D : 4 * D);
        }
        let maxGap: number | null = null;
        for (let k = 1; k < touches.length; k += 1) {
          const gap = touches[k]!.at - touches[k - 1]!.at;
          if (maxGap === null || gap > maxGap) maxGap = gap;
        }
        const lastAt = touches.at(-1)?.at ?? null;
        const after = (lastAt ?? handedOver) + Math.floor(exp(2 * D)) + H;
        // Outcome: more touches, more conversions; untouched leads get rejected, recycled or left open.
        let status = 'working';
        let reason: string | null = null;
        let closedAt: number | null = null;
        const o = r();
        if (touches.length === 0) {
          if (o < 0.3) {
            status = 'rejected';
            reason = pickR(rejectReasons);
            closedAt = handedOver + Math.floor(exp(20 * H));
          } else if (o < 0.55) {
            status = 'unresponsive';
            reason = 'no_response';
            closedAt = after;
          } else status = r() < 0.5 ? 'mql' : 'accepted';
        } else {
          const pConvert = Math.min(0.5, 0.03 + touches.length * 0.012 + (cold ? 0.02 : 0));
          if (o < pConvert) {
            status = 'qualified';
            closedAt = after;
          } else if (o < pConvert + 0.22) {
            status = 'disqualified';
            reason = pickR(disqualifyReasons);
            closedAt = after;
          } else if (o < pConvert + 0.45) {
            status = 'unresponsive';
            reason = 'no_response';
            closedAt = after;
          }
        }
        let opportunity: number | null = null;
        if (status === 'qualified') {
          const won = r() < 0.4 ? 1 : r() < 0.7 ? 0 : null;
          opportunity = opportunityId;
          batch.opportunities.push({
            id: opportunityId,
            external_id: `opp-${opportunityId}`,
            account_id: accountId,
            lead_id: id,
            owner_rep_id: rep.id,
            amount: Math.round(5000 + exp(20000)),
            stage: won === 1 ? 'closed_won' : won === 0 ? 'closed_lost' : 'proposal',
            opened_at: closedAt,
            closed_at: won === null ? null : closedAt! + Math.floor(20 * D + exp(40 * D)),
            won,
            created_at: closedAt!,
            updated_at: closedAt!,
          });
          opportunityId += 1;
        } else if ((status === 'rejected' || status === 'disqualified') && r() < 0.25) {
          // The account buys later anyway: what rejected-outcomes looks for.
          const opened = closedAt! + Math.floor(exp(240 * D));
          const won = r() < 0.5 ? 1 : 0;
          batch.opportunities.push({
            id: opportunityId,
            external_id: `opp-${opportunityId}`,
            account_id: accountId,
            lead_id: null,
            owner_rep_id: pickR(reps).id,
            amount: Math.round(5000 + exp(20000)),
            stage: won ? 'closed_won' : 'closed_lost',
            opened_at: opened,
            closed_at: opened + Math.floor(exp(60 * D)),
            won,
            created_at: opened,
            updated_at: opened,
          });
          opportunityId += 1;
        }
        batch.leads.push({
          id,
          external_id: `lead-${id}`,
          name: `Lead ${id}`,
          email: `lead${id}@acct${accountId}.example`,
          company: `Account ${accountId}`,
          source,
          campaign: `${source}-${(id % 4) + 1}`,
          segment: score > 60 ? 'enterprise' : 'smb',
          score,
          handed_over_at: cold ? null : handedOver,
          owner_rep_id: rep.id,
          account_id: accountId,
          status,
          disposition_reason: reason,
          converted_at: status === 'qualified' ? closedAt : null,
          opportunity_id: opportunity,
          created_at: handedOver,
          updated_at: closedAt ?? handedOver,
        });
        batch.stats.push({
          lead_id: id,
          first_touch_at: touches[0]?.at ?? null,
          last_touch_at: lastAt,
          touches: touches.length,
          calls: touches.filter((x) => x.kind === 'call').length,
          emails: touches.filter((x) => x.kind === 'email').length,
          meetings: touches.filter((x) => x.kind === 'meeting').length,
          responses,
          last_response_at: lastResponse,
          effort_minutes: effort,
          max_gap_ms: maxGap,
          updated_at: options.end,
        });
        batch.events.push({
          lead_id: id,
          kind: 'handed_over',
          to_status: 'mql',
          occurred_at: handedOver,
          actor: 'import',
        });
        if (closedAt !== null)
          batch.events.push({
            lead_id: id,
            kind: status,
            from_status: 'working',
            to_status: status,
            occurred_at: closedAt,
            actor: `rep:${rep.id}`,
            reason_code: reason,
          });
      }
      yield batch;
    }
  }
  return { teams, reps, accounts, batches };
}

/** Writes a generated workspace through Kysely in multi-row inserts (tests; the bench has a faster path). */
export async function writeWorkspace(
  db: Kysely<Database>,
  ws: GeneratedWorkspace,
  options: { batchSize?: number } = {},
): Promise<void> {
  const chunked = async <T>(rows: T[], per: number, write: (chunk: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += per) await write(rows.slice(i, i + per));
  };
  await db.insertInto('teams').values(ws.teams).execute();
  await chunked(ws.reps, 500, (c) => db.insertInto('reps').values(c).execute());
  await chunked(ws.accounts, 500, (c) => db.insertInto('accounts').values(c).execute());
  for (const b of ws.batches(options.batchSize ?? 2000)) {
    await db.transaction().execute(async (trx) => {
      await chunked(b.leads, 300, (c) => trx.insertInto('leads').values(c).execute());
      await chunked(b.stats, 500, (c) => trx.insertInto('lead_stats').values(c).execute());
      await chunked(b.events, 500, (c) => trx.insertInto('lead_events').values(c).execute());
      await chunked(b.activities, 500, (c) => trx.insertInto('activities').values(c).execute());
      await chunked(b.opportunities, 500, (c) => trx.insertInto('opportunities').values(c).execute());
    });
  }
  await resetIdentities(db);
}

/** After explicit-id inserts PostgreSQL's identity sequences must move past the ids used. */
export async function resetIdentities(db: Kysely<Database>): Promise<void> {
  const isPostgres = await sql<{ v: string }>`select version() as v`
    .execute(db)
    .then((r) => /postgres/i.test(r.rows[0]?.v ?? ''))
    .catch(() => false);
  if (!isPostgres) return;
  for (const table of ['teams', 'reps', 'accounts', 'leads', 'activities', 'opportunities', 'lead_events']) {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(
      db,
    );
  }
}
