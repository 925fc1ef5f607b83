import { z } from 'zod';

/** Every error response: `{ error: { code, message, location? } }`; the code decides the HTTP status. */
export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      location: z
        .object({
          file: z.string().optional(),
          line: z.number().optional(),
          column: z.number().optional(),
          field: z.string().optional(),
          record: z.string().optional(),
        })
        .optional(),
    }),
  })
  .meta({ id: 'ErrorResponse' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** Epoch milliseconds, UTC (the store's time convention). */
export const EpochMs = z.number().int();

/** Query-string integers arrive as text. */
export const QueryInt = z.coerce.number().int();

export const Ok = z.object({ ok: z.literal(true) }).meta({ id: 'Ok' });
export type Ok = z.infer<typeof Ok>;

export const IdParam = z.object({ id: z.coerce.number().int().positive() });
