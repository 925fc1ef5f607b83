import { ActivityDirection, ActivityKind } from '../../domain/words.ts';
import { notFound } from '../../errors/app-error.ts';
import type { Principal } from '../auth/principal.ts';
import { scopeLeads } from '../lead-scope.ts';
import type { ServerDeps } from '../route.ts';
import { explainSla } from '../sla-explanation.ts';
import { toLead } from './lead-mappers.ts';
import type { LeadDetail, TimelineActivity } from './leads.types.ts';

/** One lead the caller may see (404 otherwise — a rep cannot tell another rep's lead exists). */
export async function getLead(
  deps: ServerDeps,
  options: { principal: Principal; id: number },
): Promise<LeadDetail> {
  const db = deps.store.db;
  const row = await scopeLeads(db.selectFrom('leads'), options.principal)
    .leftJoin('reps', 'reps.id', 'leads.owner_rep_id')
    .leftJoin('lead_stats', 'lead_stats.lead_id', 'leads.id')
    .selectAll('leads')
    .select([
      'reps.name as owner_rep_name',
      'lead_stats.touches',
      'lead_stats.first_touch_at',
      'lead_stats.last_touch_at',
    ])
    .where('leads.id', '=', options.id)
    .executeTakeFirst();
  if (!row) throw notFound(`no lead with id ${options.id}`);

  const [stats, activities, participants, events] = await Promise.all([
    db.selectFrom('lead_stats').selectAll().where('lead_id', '=', row.id).executeTakeFirst(),
    db
      .selectFrom('activities')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('lead_id', '=', row.id),
          eb(
            'id',
            'in',
            eb.selectFrom('activity_participants').select('activity_id').where('lead_id', '=', row.id),
          ),
        ]),
      )
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(500)
      .execute(),
    db
      .selectFrom('activity_participants')
      .selectAll()
      .where((eb) =>
        eb(
          'activity_id',
          'in',
          eb
            .selectFrom('activities')
            .select('id')
            .where((w) =>
              w.or([
                w('lead_id', '=', row.id),
                w(
                  'id',
                  'in',
                  w.selectFrom('activity_participants').select('activity_id').where('lead_id', '=', row.id),
                ),
              ]),
            ),
        ),
      )
      .orderBy('id')
      .execute(),
    db
      .selectFrom('lead_events')
      .selectAll()
      .where('lead_id', '=', row.id)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute(),
  ]);

  const byActivity = new Map<number, typeof participants>();
  for (const p of participants) {
    const list = byActivity.get(p.activity_id) ?? [];
    list.push(p);
    byActivity.set(p.activity_id, list);
  }
  const timeline: TimelineActivity[] = activities.map((a) => ({
    id: a.id,
    kind: ActivityKind.catch('email').parse(a.kind),
    direction: ActivityDirection.catch('internal').parse(a.direction),
    occurredAt: a.occurred_at,
    endedAt: a.ended_at,
    durationSeconds: a.duration_seconds,
    effortMinutes: a.effort_minutes,
    repId: a.rep_id,
    source: a.source,
    subject: a.subject,
    disposition: a.disposition,
    isTouch: a.is_touch === 1,
    isResponse: a.is_response === 1,
    participants: (byActivity.get(a.id) ?? []).map((p) => ({
      role: p.role,
      email: p.email,
      phone: p.phone,
      name: p.name,
      repId: p.rep_id,
      leadId: p.lead_id,
      contactId: p.contact_id,
      accountId: p.account_id,
      matchRule: p.match_rule,
      matchNote: p.match_note,
      response: p.response,
    })),
  }));

  return {
    lead: toLead(row),
    stats: stats
      ? {
          firstTouchAt: stats.first_touch_at,
          lastTouchAt: stats.last_touch_at,
          touches: stats.touches,
          calls: stats.calls,
          emails: stats.emails,
          meetings: stats.meetings,
          responses: stats.responses,
          lastResponseAt: stats.last_response_at,
          effortMinutes: stats.effort_minutes,
        }
      : null,
    timeline,
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      occurredAt: e.occurred_at,
      actor: e.actor,
      reasonCode: e.reason_code,
      reasonText: e.reason_text,
    })),
    sla: await explainSla(deps, { lead: row, now: deps.now() }),
  };
}
