import { z } from 'zod';

const Values = z.array(z.string().min(1)).min(1);

/** Workspace routing rules (`workspace_settings` key `routing`). */
export const RoutingRules = z
  .object({
    /** Share of a rep's monthly hours meant for following up leads (the rest is meetings, deals …). */
    followUpShare: z.number().gt(0).lte(1).default(0.5),
    /** Expected rep minutes to work one lead to the SLA (calls, emails, research). */
    expectedEffortMinutes: z.number().positive().default(60),
    /** Territories in order: a lead goes to the first that matches (all given fields must match). */
    territories: z
      .array(
        z
          .object({
            name: z.string().min(1),
            country: Values.optional(),
            region: Values.optional(),
            segment: Values.optional(),
            /** Reps (external ids) who work this territory. */
            reps: z.array(z.string().min(1)).min(1),
          })
          .strict(),
      )
      .default([]),
    /** Whether a lead at an account someone owns goes to that owner. */
    accountOwnership: z.boolean().default(true),
  })
  .strict();
export type RoutingRules = z.infer<typeof RoutingRules>;
export const ROUTING_KEY = 'routing';
export const RoutingRulesSetting = RoutingRules.default(RoutingRules.parse({}));
