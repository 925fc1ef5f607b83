import type { Principal } from '../auth/principal.ts';
import { visibleRepFilter } from '../lead-scope.ts';
import type { ServerDeps } from '../route.ts';
import type { RepList } from './users.types.ts';

/** Reps the caller may see: all (admin, marketing), their team (manager), themselves (rep). */
export async function listReps(deps: ServerDeps, principal: Principal): Promise<RepList> {
  let q = deps.store.db
    .selectFrom('reps')
    .leftJoin('teams', 'teams.id', 'reps.team_id')
    .selectAll('reps')
    .select('teams.name as team_name')
    .orderBy('reps.name')
    .orderBy('reps.id');
  const filter = visibleRepFilter(principal);
  if (filter && 'teamId' in filter) q = q.where('reps.team_id', '=', filter.teamId);
  if (filter && 'repId' in filter) q = q.where('reps.id', '=', filter.repId);
  const rows = await q.execute();
  return {
    reps: rows.map((r) => ({
      id: r.id,
      externalId: r.external_id,
      name: r.name,
      email: r.email,
      teamId: r.team_id,
      teamName: r.team_name,
      timeZone: r.time_zone,
      monthlyCapacityHours: r.monthly_capacity_hours,
      active: r.active === 1,
    })),
  };
}
