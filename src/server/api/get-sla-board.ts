import { openLeadStatuses } from '../../domain/words.ts';
import type { SlaEvaluation } from '../../sla/evaluate.ts';
import { slaRuleNames, slaStateNames } from '../../sla/evaluate-columns.ts';
import { evaluateLeadColumns, evaluateLeadFacts } from '../../sla/evaluate-leads.ts';
import { breachWords } from '../../sla/explain.ts';
import { loadLeadFacts } from '../../sla/lead-facts.ts';
import type { SlaPolicy } from '../../sla/policy.ts';
import { loadActivePolicies } from '../../sla/policy-store.ts';
import type { Principal } from '../auth/principal.ts';
import type { ServerDeps } from '../route.ts';
import type { SlaBoard, SlaBoardItem, SlaBoardQuery } from './leads.types.ts';
import { leadSummariesById, visibleLeads } from './list-leads.ts';

const AT_RISK = slaStateNames.indexOf('at_risk');
const BREACHED = slaStateNames.indexOf('breached');

/**
 * The SLA board: open leads in the caller's view that are at risk (soonest deadline first), then
 * those breached (latest first-touch deadline first, i.e. the most recently handed over: the ones
 * still worth saving lead). Every lead's state comes from one columnar SLA pass over the workspace;
 * the page's leads are then evaluated in full, so each shows the deadline it missed and by how much.
 */
export async function getSlaBoard(
  deps: ServerDeps,
  options: { principal: Principal; query: SlaBoardQuery },
): Promise<SlaBoard> {
  const { query: q, principal } = options;
  const db = deps.store.db;
  const now = deps.now();
  const visible = visibleLeads(deps, principal, { ...q, status: openLeadStatuses });
  const [idRows, sourceRows] = await Promise.all([
    visible.select('leads.id').execute(),
    visibleLeads(deps, principal, { ...q, source: undefined, status: openLeadStatuses })
      .select('leads.source')
      .distinct()
      .where('leads.source', 'is not', null)
      .orderBy('leads.source')
      .execute(),
  ]);
  const ids = new Set(idRows.map((r) => Number(r.id)));

  const { policies } = await loadActivePolicies(db);
  // The page is explained at the moment its states were evaluated, so state and explanation agree.
  const { cols, sla, at } = await workspaceSla(deps, policies, now);
  const atRisk: Array<{ i: number; key: number }> = [];
  const breached: Array<{ i: number; key: number }> = [];
  for (let i = 0; i < cols.n; i++) {
    const state = sla.state[i];
    if ((state !== AT_RISK && state !== BREACHED) || !ids.has(cols.leadId[i]!)) continue;
    if (state === AT_RISK) atRisk.push({ i, key: sla.atRiskDueAt[i]! });
    else breached.push({ i, key: sla.firstTouchDueAt[i]! });
  }
  atRisk.sort((a, b) => a.key - b.key || cols.leadId[a.i]! - cols.leadId[b.i]!);
  breached.sort((a, b) => (b.key || 0) - (a.key || 0) || cols.leadId[a.i]! - cols.leadId[b.i]!);
  const shown = q.state === 'at_risk' ? atRisk : q.state === 'breached' ? breached : [...atRisk, ...breached];
  const page = shown.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  const pageIds = page.map(({ i }) => cols.leadId[i]!);

  const [summaries, facts] = await Promise.all([
    leadSummariesById(deps, pageIds),
    loadLeadFacts(db, { leadIds: pageIds }),
  ]);
  const evaluated = new Map(
    evaluateLeadFacts({ facts, policies, now: at }).map((r) => [r.facts.lead_id, r] as const),
  );
  const items = page.flatMap(({ i }): SlaBoardItem[] => {
    const id = cols.leadId[i]!;
    const lead = summaries.get(id);
    const e = evaluated.get(id);
    if (!lead || !e) return [];
    const isAtRisk = sla.state[i] === AT_RISK;
    const firstBreach = e.evaluation.breaches[0];
    const deadline = isAtRisk ? sla.atRiskDueAt[i]! : missedDeadline(e.evaluation, at);
    return [
      {
        lead,
        state: isAtRisk ? 'at_risk' : 'breached',
        policy: e.evaluation.policy,
        deadlineAt: Number.isNaN(deadline) ? null : deadline,
        rule: isAtRisk ? (slaRuleNames[sla.atRiskRule[i]!] ?? null) : (firstBreach?.rule ?? null),
        breaches: e.evaluation.breaches.map((b) => ({
          rule: b.rule,
          byMs: b.by_ms,
          text: breachWords(b, e.evaluation, policyOf(policies, e.evaluation.policy), lead.status),
        })),
      },
    ];
  });
  return {
    items,
    atRisk: atRisk.length,
    breached: breached.length,
    sources: sourceRows.flatMap((r) => (r.source ? [r.source] : [])),
    total: shown.length,
    page: q.page,
    pageSize: q.pageSize,
    now: at,
  };
}

const policyOf = (policies: readonly SlaPolicy[], name: string): Pick<SlaPolicy, 'max_gap_days'> =>
  policies.find((p) => p.name === name) ?? {};

type Evaluated = Awaited<ReturnType<typeof evaluateLeadColumns>> & { at: number };
// Per store: the latest workspace-wide evaluation and what it was made under.
const latest = new WeakMap<object, { stamp: string; evaluated: Promise<Evaluated> }>();
const MINUTE = 60_000;

/**
 * Every handed-over lead's SLA state, evaluated once per data version and minute (a board's pages
 * and filters reuse it; a state may be up to a minute old). Writes through the server, CLI imports
 * and captures change the data version (reports/data-version.ts), and so does a policy change.
 */
async function workspaceSla(
  deps: ServerDeps,
  policies: readonly SlaPolicy[],
  now: number,
): Promise<Evaluated> {
  const version = await deps.dataVersion.current();
  const stamp = JSON.stringify([version.key, Math.floor(now / MINUTE), policies]);
  const memo = latest.get(deps.store);
  if (memo?.stamp === stamp) return memo.evaluated;
  const evaluated = evaluateLeadColumns(deps.store.db, { now, policies, omit: ['campaign', 'segment'] }).then(
    (result) => ({ ...result, at: now }),
  );
  latest.set(deps.store, { stamp, evaluated });
  // A failed evaluation is not kept.
  evaluated.catch(() => {
    if (latest.get(deps.store)?.evaluated === evaluated) latest.delete(deps.store);
  });
  return evaluated;
}

/** The deadline of the first rule a breached lead broke, when it is known. */
function missedDeadline(e: SlaEvaluation, now: number): number {
  switch (e.breaches[0]?.rule) {
    case 'first_touch':
      return e.first_touch_due_at ?? Number.NaN;
    case 'attempts':
      return e.window_ends_at ?? Number.NaN;
    case 'max_gap':
      // A gap still open: the next touch was due then. A gap already closed by a later touch has no
      // single deadline worth showing; its text says by how much it ran over.
      return e.next_touch_due_at !== null && e.next_touch_due_at <= now ? e.next_touch_due_at : Number.NaN;
    default:
      return Number.NaN;
  }
}
