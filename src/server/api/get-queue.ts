import { LeadStatus } from '../../domain/words.ts';
import { badInput, notFound } from '../../errors/app-error.ts';
import { repQueue } from '../../routing/queue.ts';
import type { Principal } from '../auth/principal.ts';
import { visibleRepFilter } from '../lead-scope.ts';
import type { ServerDeps } from '../route.ts';
import type { Queue, QueueQuery } from './queue.types.ts';

/**
 * A rep's work queue from the routing capability: open leads ordered by SLA deadline and score.
 * Reps get their own; managers name a rep of their team; admins any rep. Blind mode (workspace
 * setting, or ?blind=1) hides company and title of all but the lead opened next.
 */
export async function getQueue(
  deps: ServerDeps,
  options: { principal: Principal; query: QueueQuery },
): Promise<Queue> {
  const { principal, query } = options;
  if (principal.role === 'rep' && query.rep !== undefined && query.rep !== principal.repId) {
    throw notFound(`no rep with id ${query.rep} in your view`);
  }
  const repId = principal.role === 'rep' ? principal.repId : (query.rep ?? principal.repId);
  if (repId === null || repId === undefined) throw badInput('name a rep: ?rep=<id>', { field: 'query.rep' });
  const filter = visibleRepFilter(principal);
  const rep = await deps.store.db
    .selectFrom('reps')
    .select(['id', 'name', 'team_id'])
    .where('id', '=', repId)
    .executeTakeFirst();
  if (!rep || (filter && 'teamId' in filter && rep.team_id !== filter.teamId)) {
    throw notFound(`no rep with id ${repId} in your view`);
  }
  const { settings, items } = await repQueue(deps.store.db, { repId, now: deps.now() });
  const blind = query.blind ?? settings.blind;
  return {
    repId,
    blind,
    items: items.slice(0, query.limit).map((i) => {
      const hide = blind && (i.hidden || query.blind === true);
      return {
        id: i.leadId,
        externalId: i.externalId,
        name: i.name,
        email: hide ? null : i.email,
        title: hide ? null : i.title,
        company: hide ? null : i.company,
        source: i.source,
        campaign: i.campaign,
        score: i.score,
        status: LeadStatus.catch('mql').parse(i.status),
        ownerRepId: repId,
        ownerRepName: rep.name,
        handedOverAt: i.handedOverAt,
        touches: i.touches,
        firstTouchAt: i.firstTouchAt,
        lastTouchAt: i.lastTouchAt,
        position: i.position,
        overdue: i.overdue,
        why: `${i.overdue ? 'overdue' : i.deadline === null ? 'no deadline' : `due ${new Date(i.deadline).toISOString()}`}; score ${i.score ?? 'unscored'}`,
        dueAt: i.deadline,
      };
    }),
  };
}
