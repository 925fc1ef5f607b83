import type { Principal } from '../auth/principal.ts';
import type { Me } from './auth.types.ts';

export function getMe(principal: Principal): Me {
  return {
    id: principal.userId,
    email: principal.email,
    name: principal.name,
    role: principal.role,
    repId: principal.repId,
    teamId: principal.teamId,
    csrfToken: principal.csrfToken,
  };
}
