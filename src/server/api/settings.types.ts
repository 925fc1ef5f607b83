import { z } from 'zod';
import { ScoringRules as ScoringRulesSchema } from '../../scoring/rules.ts';
import { SlaPolicy as SlaPolicySchema } from '../../sla/policy.ts';
import { EpochMs } from './common.types.ts';

// The SLA policy and scoring-rule shapes are the sla and scoring capabilities' own schemas, so what
// the API accepts is exactly what their engines read.

/** One SLA policy (src/sla/policy.ts): match, first touch, attempts, max gap, window. */
export const SlaPolicy = SlaPolicySchema.meta({ id: 'SlaPolicy' });
export type SlaPolicy = z.infer<typeof SlaPolicy>;

export const StoredSlaPolicy = z
  .object({ id: z.number().int(), position: z.number().int(), updatedAt: EpochMs, definition: SlaPolicy })
  .meta({ id: 'StoredSlaPolicy' });
export type StoredSlaPolicy = z.infer<typeof StoredSlaPolicy>;

/** The policies in match order; `origin` says whether they are the workspace's or the built-in default. */
export const SlaPolicyList = z
  .object({ origin: z.enum(['workspace', 'built-in default']), policies: z.array(StoredSlaPolicy) })
  .meta({ id: 'SlaPolicyList' });
export type SlaPolicyList = z.infer<typeof SlaPolicyList>;

/** PUT replaces the whole ordered list: first match wins, the last policy (no `match`) is the default. */
export const PutSlaPolicies = z
  .object({ policies: z.array(z.unknown()).min(1).max(200) })
  .meta({ id: 'PutSlaPolicies' });
export type PutSlaPolicies = z.infer<typeof PutSlaPolicies>;

/** Fit and behaviour rule groups (src/scoring/rules.ts). */
export const ScoringRules = ScoringRulesSchema.meta({ id: 'ScoringRules' });
export type ScoringRules = z.infer<typeof ScoringRules>;
