import type { Kysely } from 'kysely';
import { hashPassword } from '../server/auth/password.ts';
import type { Database } from '../store/schema.ts';
import type { DemoActivity, DemoWorkspace } from './generate-demo.ts';

/** One demo login per role; the passwords are public on purpose (printed by `gleaner demo`). */
export const demoUsers = [
  { email: 'admin@gleaner-demo.example', name: 'Ada Admin', role: 'admin', password: 'admin-demo' },
  {
    email: 'marketing@gleaner-demo.example',
    name: 'Mia Marketing',
    role: 'marketing',
    password: 'marketing-demo',
  },
  { email: 'manager@gleaner-demo.example', name: 'Max Manager', role: 'manager', password: 'manager-demo' },
  { email: 'rep@gleaner-demo.example', name: 'Chloe Martin', role: 'rep', password: 'rep-demo' },
] as const;

/** Which team the demo manager runs and which rep the demo rep login is. */
export const demoManagerTeam = 'East';
export const demoRepKey = 'rep-3';

/** Rep minutes per touch: a fixed allowance per e-mail, duration plus an allowance for calls and meetings. */
export function effortMinutes(
  activity: Pick<DemoActivity, 'kind' | 'direction' | 'durationSeconds'>,
): number {
  if (activity.direction === 'inbound') return 0;
  const minutes = (activity.durationSeconds ?? 0) / 60;
  if (activity.kind === 'email') return 5;
  if (activity.kind === 'call') return minutes + 5;
  return minutes + 15;
}

export type LoadSummary = { leads: number; activities: number; reps: number; users: number };

async function insertChunks<T>(items: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await insert(items.slice(i, i + size));
}

/**
 * Writes the workspace's people, leads, lifecycle and opportunities into an empty store; the
 * activity arrives through capture (createDemoWorkspace runs the demo files through it).
 */
export async function loadDemoWorkspace(
  db: Kysely<Database>,
  options: { workspace: DemoWorkspace; now: number },
): Promise<LoadSummary> {
  const { workspace, now } = options;
  const teamIds = new Map<string, number>();
  const repIds = new Map<string, number>();
  const leadIds = new Map<string, number>();

  const hashes = await Promise.all(demoUsers.map((user) => hashPassword(user.password)));
  await db.transaction().execute(async (trx) => {
    for (const team of workspace.teams) {
      const row = await trx
        .insertInto('teams')
        .values({ name: team.name, manager_rep_id: null, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      teamIds.set(team.name, Number(row.id));
    }
    for (const rep of workspace.reps) {
      const row = await trx
        .insertInto('reps')
        .values({
          external_id: rep.key,
          name: rep.name,
          email: rep.email,
          team_id: teamIds.get(rep.team) ?? null,
          time_zone: rep.timeZone,
          monthly_capacity_hours: rep.capacityHours,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      repIds.set(rep.key, Number(row.id));
      await trx
        .insertInto('rep_identities')
        .values([
          { rep_id: Number(row.id), kind: 'email', value: rep.email },
          { rep_id: Number(row.id), kind: 'phone', value: rep.phone },
        ])
        .execute();
    }
    for (const team of workspace.teams) {
      await trx
        .updateTable('teams')
        .set({ manager_rep_id: repIds.get(team.managerKey) ?? null })
        .where('name', '=', team.name)
        .execute();
    }
    for (const [index, user] of demoUsers.entries()) {
      await trx
        .insertInto('users')
        .values({
          email: user.email,
          name: user.name,
          password_hash: hashes[index] ?? null,
          role: user.role,
          rep_id: user.role === 'rep' ? (repIds.get(demoRepKey) ?? null) : null,
          team_id: user.role === 'manager' ? (teamIds.get(demoManagerTeam) ?? null) : null,
          created_at: now,
        })
        .execute();
    }
  });

  await insertChunks(workspace.leads, 400, async (chunk) => {
    const rows = await db
      .insertInto('leads')
      .values(
        chunk.map((lead) => ({
          external_id: lead.externalId,
          first_name: lead.firstName,
          last_name: lead.lastName,
          name: `${lead.firstName} ${lead.lastName}`,
          email: lead.email,
          phone: lead.phone,
          title: lead.title,
          company: lead.company,
          company_domain: lead.companyDomain,
          industry: lead.industry,
          employees: lead.employees,
          annual_revenue: lead.annualRevenue,
          country: lead.country,
          source: lead.source,
          campaign: lead.campaign,
          score: lead.score,
          handed_over_at: lead.handedOverAt,
          owner_rep_id: repIds.get(lead.ownerKey) ?? null,
          status: lead.status,
          disposition_reason: lead.dispositionReason,
          converted_at: lead.convertedAt,
          created_at: lead.handedOverAt,
          updated_at: now,
        })),
      )
      .returning(['id', 'external_id'])
      .execute();
    for (const row of rows) leadIds.set(row.external_id, Number(row.id));
  });

  await insertChunks(workspace.events, 500, (chunk) =>
    db
      .insertInto('lead_events')
      .values(
        chunk.map((event, index) => ({
          lead_id: leadIds.get(event.leadExternalId) ?? 0,
          kind: event.kind,
          from_status: event.fromStatus,
          to_status: event.toStatus,
          occurred_at: Math.round(event.occurredAt),
          actor: event.actor.replace(/rep:(rep-\d+)/, (_m, key: string) => `rep:${repIds.get(key) ?? key}`),
          reason_code: event.reasonCode,
          reason_text: event.reasonText,
          source_key: `demo:${event.leadExternalId}:${event.kind}:${index}:${Math.round(event.occurredAt)}`,
          data: null,
        })),
      )
      .execute(),
  );

  for (const opportunity of workspace.opportunities) {
    const leadId = leadIds.get(opportunity.leadExternalId) ?? null;
    const row = await db
      .insertInto('opportunities')
      .values({
        external_id: opportunity.externalId,
        name: opportunity.name,
        lead_id: leadId,
        owner_rep_id: repIds.get(opportunity.ownerKey) ?? null,
        amount: opportunity.amount,
        currency: 'USD',
        stage: opportunity.stage,
        opened_at: opportunity.openedAt,
        closed_at: opportunity.closedAt,
        won: opportunity.won,
        source: 'demo',
        created_at: opportunity.openedAt,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (leadId !== null)
      await db
        .updateTable('leads')
        .set({ opportunity_id: Number(row.id) })
        .where('id', '=', leadId)
        .execute();
  }

  return {
    leads: workspace.leads.length,
    activities: 0,
    reps: workspace.reps.length,
    users: demoUsers.length,
  };
}
