import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Principal } from './auth/principal.ts';

/**
 * Which leads a caller may see: admin and marketing all; a manager the leads owned by their team's
 * reps; a rep only their own. Reps and managers never see the nurture pool.
 */
export function scopeLeads<DB extends Database, TB extends keyof DB & 'leads', O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  principal: Principal,
): SelectQueryBuilder<DB, TB, O> {
  const q = qb as unknown as SelectQueryBuilder<Database, 'leads', O>;
  const scoped = scopeLeadsQuery(q, principal);
  return scoped as unknown as SelectQueryBuilder<DB, TB, O>;
}

function scopeLeadsQuery<O>(
  qb: SelectQueryBuilder<Database, 'leads', O>,
  p: Principal,
): SelectQueryBuilder<Database, 'leads', O> {
  switch (p.role) {
    case 'admin':
    case 'marketing':
      return qb;
    case 'manager':
      return qb.where('leads.status', '!=', 'nurture').where((eb) =>
        eb(
          'leads.owner_rep_id',
          'in',
          eb
            .selectFrom('reps')
            .select('reps.id')
            .where('reps.team_id', '=', p.teamId ?? -1),
        ),
      );
    case 'rep':
      return qb.where('leads.status', '!=', 'nurture').where('leads.owner_rep_id', '=', p.repId ?? -1);
  }
}

/** Rep ids a caller may see (null: all). */
export function visibleRepFilter(p: Principal): { teamId: number } | { repId: number } | null {
  if (p.role === 'manager') return { teamId: p.teamId ?? -1 };
  if (p.role === 'rep') return { repId: p.repId ?? -1 };
  return null;
}
