import { z } from 'zod';
import { attractivenessConfigSchema } from '../../attributes/attractiveness.ts';
import { ImapAccountUpdate, NewImapAccount } from '../../capture/imap-accounts.ts';
import { ReasonCodes as ReasonCodesSchema } from '../../lifecycle/reason-codes.ts';
import { MqlBar as MqlBarSchema } from '../../scoring/nurture.ts';
import { ScoringRules as ScoringRulesSchema } from '../../scoring/rules.ts';
import { SlaPolicy as SlaPolicySchema } from '../../sla/policy.ts';
import { EpochMs } from './common.types.ts';

// The settings shapes are the owning capabilities' own schemas (the ones the CLI validates with), so
// what the API accepts is exactly what their engines read.

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

/** What makes a lead look attractive to reps (src/attributes/attractiveness.ts, `gleaner attractiveness`). */
export const Attractiveness = attractivenessConfigSchema.meta({ id: 'Attractiveness' });
export type Attractiveness = z.infer<typeof Attractiveness>;

/**
 * The MQL bar (src/scoring/nurture.ts, `gleaner score bar`): nurture leads are handed over when their
 * score reaches `threshold` (and fit `minFit`), or on one of `events`. Takes effect at the next recompute.
 */
export const MqlBar = MqlBarSchema.meta({ id: 'MqlBar' });
export type MqlBar = z.infer<typeof MqlBar>;

/** Reject / disqualify / skip reason codes (src/lifecycle/reason-codes.ts, `gleaner reasons`). */
export const ReasonCodes = ReasonCodesSchema.meta({ id: 'ReasonCodes' });
export type ReasonCodes = z.infer<typeof ReasonCodes>;

/** A stored IMAP account: never the password, nor which variable or file holds it. */
export const ImapAccountView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    host: z.string(),
    port: z.number().int(),
    tls: z.boolean(),
    allowSelfSigned: z.boolean(),
    user: z.string(),
    folders: z.array(z.string()),
    passwordSource: z
      .enum(['env', 'file'])
      .nullable()
      .meta({ description: 'whether the password comes from an environment variable or a file' }),
    createdAt: EpochMs,
    updatedAt: EpochMs,
  })
  .meta({ id: 'ImapAccount' });
export type ImapAccountView = z.infer<typeof ImapAccountView>;

export const ImapAccountList = z
  .object({ accounts: z.array(ImapAccountView) })
  .meta({ id: 'ImapAccountList' });
export type ImapAccountList = z.infer<typeof ImapAccountList>;

/** POST: exactly one of passwordEnv (IMAP_… variable) or passwordFile (absolute path); no password field. */
export const CreateImapAccount = NewImapAccount.meta({ id: 'CreateImapAccount' });
export type CreateImapAccount = z.infer<typeof CreateImapAccount>;

/** PUT replaces the account; leave out both secret sources to keep the stored one. */
export const UpdateImapAccount = ImapAccountUpdate.meta({ id: 'UpdateImapAccount' });
export type UpdateImapAccount = z.infer<typeof UpdateImapAccount>;
