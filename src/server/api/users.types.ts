import { z } from 'zod';
import { UserRole } from '../../domain/words.ts';
import { EpochMs } from './common.types.ts';

export const User = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: UserRole,
    repId: z.number().int().nullable(),
    teamId: z.number().int().nullable(),
    disabled: z.boolean(),
    createdAt: EpochMs,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const UserList = z.object({ users: z.array(User) }).meta({ id: 'UserList' });
export type UserList = z.infer<typeof UserList>;

/** A rep user must name their rep; a manager names their team. Passwords: 10 to 1024 characters. */
export const CreateUserRequest = z
  .object({
    email: z.email(),
    name: z.string().min(1).max(200).optional(),
    role: UserRole,
    password: z.string().min(10).max(1024),
    repId: z.number().int().positive().nullable().optional(),
    teamId: z.number().int().positive().nullable().optional(),
  })
  .meta({ id: 'CreateUserRequest' });
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

export const ApiToken = z
  .object({
    id: z.number().int(),
    userId: z.number().int(),
    name: z.string(),
    createdAt: EpochMs,
    lastUsedAt: EpochMs.nullable(),
    revokedAt: EpochMs.nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenList = z.object({ tokens: z.array(ApiToken) }).meta({ id: 'ApiTokenList' });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

export const CreateTokenRequest = z
  .object({ name: z.string().min(1).max(200), userId: z.number().int().positive().optional() })
  .meta({ id: 'CreateTokenRequest' });
export type CreateTokenRequest = z.infer<typeof CreateTokenRequest>;

/** `token` is shown once: only its SHA-256 hash is stored. Use it as `Authorization: Bearer <token>`. */
export const CreatedToken = ApiToken.extend({ token: z.string() }).meta({ id: 'CreatedToken' });
export type CreatedToken = z.infer<typeof CreatedToken>;

export const Rep = z
  .object({
    id: z.number().int(),
    externalId: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    teamId: z.number().int().nullable(),
    teamName: z.string().nullable(),
    timeZone: z.string(),
    monthlyCapacityHours: z.number(),
    active: z.boolean(),
  })
  .meta({ id: 'Rep' });
export type Rep = z.infer<typeof Rep>;

export const RepList = z.object({ reps: z.array(Rep) }).meta({ id: 'RepList' });
export type RepList = z.infer<typeof RepList>;
