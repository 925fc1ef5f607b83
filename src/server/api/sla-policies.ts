import type { Kysely } from 'kysely';
import { badInput } from '../../errors/app-error.ts';
import { defaultPolicySet, SlaPolicySet } from '../../sla/policy.ts';
import { saveGlobalPolicies } from '../../sla/policy-store.ts';
import type { Database } from '../../store/schema.ts';
import type { PutSlaPolicies, SlaPolicyList } from './settings.types.ts';

/** The SLA policies in match order, or the built-in defaults (id 0) when the workspace has none. */
export async function getSlaPolicies(db: Kysely<Database>): Promise<SlaPolicyList> {
  const rows = await db.selectFrom('sla_policies').selectAll().orderBy('position').orderBy('id').execute();
  if (rows.length === 0) {
    return {
      origin: 'built-in default',
      policies: defaultPolicySet().policies.map((definition, position) => ({
        id: 0,
        position,
        updatedAt: 0,
        definition,
      })),
    };
  }
  return {
    origin: 'workspace',
    policies: rows.map((r) => ({
      id: r.id,
      position: r.position,
      updatedAt: r.updated_at,
      definition: JSON.parse(r.definition),
    })),
  };
}

/** Validates the set with the SLA engine's own schema (field paths in errors) and replaces the stored policies. */
export async function putSlaPolicies(
  db: Kysely<Database>,
  options: { input: PutSlaPolicies; now: number },
): Promise<SlaPolicyList> {
  const parsed = SlaPolicySet.safeParse({ policies: options.input.policies });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['body', ...(issue?.path ?? []).map(String)].join('.');
    throw badInput(`${field}: ${issue?.message ?? 'invalid policy'}`, { field });
  }
  await saveGlobalPolicies(db, { set: parsed.data, now: options.now });
  return getSlaPolicies(db);
}
