import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { AppError, badInput } from '../errors/app-error.ts';
import { titleSeniority } from './title-seniority.ts';

const DAY_MS = 86_400_000;

const FitRule = z
  .object({
    /** A lead field (title, industry, employees, country …), `title_seniority`, `account.<field>` or an imported column. */
    field: z.string().min(1),
    /** Points when the rule matches, or points per value (case-insensitive) for a category field. */
    points: z.union([z.number(), z.record(z.string(), z.number())]),
    in: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict()
  .refine((r) => typeof r.points !== 'number' || r.in || r.min !== undefined || r.max !== undefined, {
    message: 'a rule with a single number of points needs `in`, `min` or `max`',
    path: ['points'],
  })
  .refine((r) => typeof r.points === 'number' || (!r.in && r.min === undefined && r.max === undefined), {
    message: 'a points table (value → points) takes no `in`, `min` or `max`',
    path: ['points'],
  });

const BehaviourRule = z
  .object({
    /** A lead_events kind (web_visit, content_download, webinar_attended, demo_request, opt_in …). */
    event: z.string().min(1).optional(),
    /** Or an imported numeric column (leads.extra), e.g. `TotalVisits`: points × value / per. */
    column: z.string().min(1).optional(),
    points: z.number(),
    per: z.number().positive().optional(),
  })
  .strict()
  .refine((r) => Boolean(r.event) !== Boolean(r.column), {
    message: 'give exactly one of `event` or `column`',
  });

const Group = <T extends z.ZodType>(rule: T) =>
  z
    .object({
      group: z.string().min(1),
      /** The most points this group can give (behaviour: after decay). */
      cap: z.number().nonnegative().optional(),
      rules: z.array(rule).min(1),
    })
    .strict();

const Decay = z
  .object({
    /** Behaviour points halve every this many days (30 ≈ −50 % per month); omit for no decay. */
    halfLifeDays: z.number().positive(),
  })
  .strict();

export const ScoringRules = z
  .object({
    version: z.literal(1).default(1),
    decay: Decay.optional(),
    fit: z.array(Group(FitRule)).default([]),
    behaviour: z.array(Group(BehaviourRule).extend({ decay: Decay.optional() })).default([]),
  })
  .strict();
export type ScoringRules = z.infer<typeof ScoringRules>;

/** Parses a YAML or JSON rules file; errors name the file, line and field. */
export function parseScoringRules(text: string, file = 'rules'): ScoringRules {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lineCounter.linePos(yamlError.pos[0]);
    throw badInput(`not valid YAML/JSON: ${yamlError.message.split('\n')[0]}`, {
      file,
      line: pos.line,
      column: pos.col,
    });
  }
  const parsed = ScoringRules.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  if (issue.code === 'unrecognized_keys' && issue.keys[0]) path.push(issue.keys[0]);
  // Point at the deepest node of the path that exists in the document.
  let line: number | undefined;
  let column: number | undefined;
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0] ?? (depth === 0 ? doc.contents?.range?.[0] : undefined);
    if (offset !== undefined) {
      const pos = lineCounter.linePos(offset);
      line = pos.line;
      column = pos.col;
      break;
    }
  }
  throw new AppError('bad_input', issue.message, {
    location: { file, line, column, field: path.join('.') || undefined },
  });
}

/** What scoring reads about one lead (plain data, from the store or a test table). */
export type LeadFacts = {
  fields: Record<string, string | number | null | undefined>;
  account?: Record<string, string | number | null | undefined> | null;
  /** Imported columns Gleaner keeps (leads.extra). */
  extra?: Record<string, unknown> | null;
};
export type BehaviourEvent = { kind: string; occurredAt: number };

export type GroupScore = { kind: 'fit' | 'behaviour'; group: string; points: number; uncapped: number };
export type LeadScore = { fit: number; behaviour: number; score: number; groups: GroupScore[] };

function fieldValue(facts: LeadFacts, field: string): string | number | null | undefined {
  if (field === 'title_seniority') return titleSeniority(facts.fields.title as string | null | undefined);
  if (field.startsWith('account.')) return facts.account?.[field.slice('account.'.length)];
  const own = facts.fields[field];
  if (own !== null && own !== undefined && own !== '') return own;
  const fromAccount = facts.account?.[field];
  if (fromAccount !== null && fromAccount !== undefined && fromAccount !== '') return fromAccount;
  const extra = facts.extra?.[field];
  return typeof extra === 'string' || typeof extra === 'number' ? extra : null;
}

const norm = (v: string | number): string => String(v).trim().toLowerCase();

function fitPoints(rule: z.infer<typeof FitRule>, value: string | number | null | undefined): number {
  if (value === null || value === undefined || value === '') return 0;
  if (typeof rule.points !== 'number') {
    const wanted = norm(value);
    for (const [k, p] of Object.entries(rule.points)) if (norm(k) === wanted) return p;
    return 0;
  }
  if (rule.in && !rule.in.some((v) => norm(v) === norm(value))) return 0;
  if (rule.min !== undefined || rule.max !== undefined) {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) return 0;
    if (rule.min !== undefined && n < rule.min) return 0;
    if (rule.max !== undefined && n > rule.max) return 0;
  }
  return rule.points;
}

const capped = (points: number, cap: number | undefined) =>
  cap === undefined ? points : Math.min(points, cap);
const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Fit + behaviour score of one lead at time `now`. Fit: points per rule, summed and capped per group.
 * Behaviour: points per event, halved every `halfLifeDays` of the event's age, summed and capped per group;
 * imported columns give points × value / per (no time, so no decay). Future events count in full.
 */
export function scoreLead(options: {
  rules: ScoringRules;
  lead: LeadFacts;
  events: readonly BehaviourEvent[];
  now: number;
}): LeadScore {
  const { rules, lead, events, now } = options;
  const groups: GroupScore[] = [];
  for (const group of rules.fit) {
    const uncapped = group.rules.reduce((sum, r) => sum + fitPoints(r, fieldValue(lead, r.field)), 0);
    groups.push({
      kind: 'fit',
      group: group.group,
      uncapped: round(uncapped),
      points: round(capped(uncapped, group.cap)),
    });
  }
  for (const group of rules.behaviour) {
    const halfLife = (group.decay ?? rules.decay)?.halfLifeDays;
    let uncapped = 0;
    for (const r of group.rules) {
      if (r.event) {
        for (const e of events) {
          if (e.kind !== r.event) continue;
          const ageDays = Math.max(0, (now - e.occurredAt) / DAY_MS);
          uncapped += halfLife === undefined ? r.points : r.points * 0.5 ** (ageDays / halfLife);
        }
      } else if (r.column) {
        const raw = lead.extra?.[r.column];
        const n =
          typeof raw === 'number'
            ? raw
            : typeof raw === 'string' && raw.trim() !== ''
              ? Number(raw)
              : Number.NaN;
        if (Number.isFinite(n)) uncapped += (r.points * n) / (r.per ?? 1);
      }
    }
    groups.push({
      kind: 'behaviour',
      group: group.group,
      uncapped: round(uncapped),
      points: round(capped(uncapped, group.cap)),
    });
  }
  const fit = round(groups.filter((g) => g.kind === 'fit').reduce((a, g) => a + g.points, 0));
  const behaviour = round(groups.filter((g) => g.kind === 'behaviour').reduce((a, g) => a + g.points, 0));
  return { fit, behaviour, score: round(fit + behaviour), groups };
}

/** The lead-event kinds a rule set reads (so the store loads only those). */
export const behaviourEventKinds = (rules: ScoringRules): string[] => [
  ...new Set(rules.behaviour.flatMap((g) => g.rules.flatMap((r) => (r.event ? [r.event] : [])))),
];
