import type { Kysely } from 'kysely';
import { notFound } from '../errors/app-error.ts';
import type { Database } from '../store/schema.ts';
import type { SlaEvaluation, Touch } from './evaluate.ts';
import { evaluateLeadFacts } from './evaluate-leads.ts';
import { explainSla } from './explain.ts';
import { loadLeadFacts } from './lead-facts.ts';
import { selectPolicy } from './policy.ts';
import { loadActivePolicies } from './policy-store.ts';

/** Loads one lead (by id or external id), evaluates it and explains it in sentences with its touch timeline. */
export async function explainLead(
  db: Kysely<Database>,
  options: { lead: string; now: number },
): Promise<{ leadId: number; evaluation: SlaEvaluation; lines: string[] }> {
  const byId = /^\d+$/.test(options.lead)
    ? await db.selectFrom('leads').select('id').where('id', '=', Number(options.lead)).executeTakeFirst()
    : undefined;
  const found =
    byId ??
    (await db.selectFrom('leads').select('id').where('external_id', '=', options.lead).executeTakeFirst());
  if (!found) throw notFound(`no lead with id or external id "${options.lead}"`);
  const leadId = Number(found.id);
  const [facts] = await loadLeadFacts(db, { leadIds: [leadId], includeNurture: true });
  const { policies } = await loadActivePolicies(db);
  const [result] = evaluateLeadFacts({ facts: [facts!], policies, now: options.now });
  const touches = await db
    .selectFrom('activities')
    .select(['occurred_at', 'kind'])
    .where('lead_id', '=', leadId)
    .where('is_touch', '=', 1)
    .orderBy('occurred_at')
    .execute();
  const lines = explainSla({
    evaluation: result!.evaluation,
    policy: selectPolicy(policies, facts!),
    handedOverAt: facts!.handed_over_at,
    status: facts!.status,
    touches: touches.map((t) => ({ at: Number(t.occurred_at), kind: t.kind as Touch['kind'] })),
    now: options.now,
  });
  return { leadId, evaluation: result!.evaluation, lines };
}
