import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { defaultPolicySet, SlaPolicy, type SlaPolicySet } from './policy.ts';

/** Replaces the workspace's SLA policies with a validated set (one row per policy, in match order). */
export async function saveGlobalPolicies(
  db: Kysely<Database>,
  options: { set: SlaPolicySet; now: number },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sla_policies').execute();
    await trx
      .insertInto('sla_policies')
      .values(
        options.set.policies.map((p, position) => ({
          name: p.name,
          position,
          definition: JSON.stringify(p),
          created_at: options.now,
          updated_at: options.now,
        })),
      )
      .execute();
  });
}

/** The workspace's active policies in match order, or Gleaner's defaults when none were set. */
export async function loadActivePolicies(
  db: Kysely<Database>,
): Promise<{ policies: SlaPolicy[]; origin: 'workspace' | 'built-in default' }> {
  const rows = await db.selectFrom('sla_policies').select(['definition']).orderBy('position').execute();
  if (rows.length === 0) return { policies: defaultPolicySet().policies, origin: 'built-in default' };
  return { policies: rows.map((r) => SlaPolicy.parse(JSON.parse(r.definition))), origin: 'workspace' };
}
