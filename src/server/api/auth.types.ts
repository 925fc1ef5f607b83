import { z } from 'zod';
import { UserRole } from '../../domain/words.ts';

export const LoginRequest = z
  .object({ email: z.email(), password: z.string().min(1).max(1024) })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

/** Who is asking. `csrfToken` is set for cookie sessions: send it back as `X-CSRF-Token` on every write. */
export const Me = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: UserRole,
    repId: z.number().int().nullable(),
    teamId: z.number().int().nullable(),
    csrfToken: z.string().nullable(),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;
