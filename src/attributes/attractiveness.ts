import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import type { Database } from '../store/schema.ts';
import {
  type BrandIndex,
  brandListSchema,
  type CompanyTier,
  companyTier,
  indexBrands,
  isBrand,
  normaliseIndustry,
  tierBandsSchema,
} from './company.ts';
import { classifyTitle, type Seniority, senioritySchema } from './title.ts';

/** The workspace_settings key that holds the attractiveness config (JSON). */
export const attractivenessSettingsKey = 'attractiveness';

/**
 * What counts as an attractive-looking lead, per workspace. Defaults make the report work on day one:
 * VP+ titles; companies with ≥ 1,000 employees (or ≥ 1 bn revenue) or on the brand list.
 */
export const attractivenessConfigSchema = z
  .object({
    seniority: z
      .object({
        attractive: z.array(senioritySchema).min(1).default(['c_level', 'vp']),
        /** Levels the attractive ones are compared with; default every other known level. */
        comparedWith: z.array(senioritySchema).optional(),
        label: z.string().default('VP+'),
      })
      .default({ attractive: ['c_level', 'vp'], label: 'VP+' }),
    company: z
      .object({
        tiers: z.array(z.enum(['enterprise', 'mid_market', 'smb'])).default(['enterprise']),
        bands: tierBandsSchema.default({
          enterpriseEmployees: 1000,
          midMarketEmployees: 200,
          enterpriseRevenue: 1_000_000_000,
          midMarketRevenue: 50_000_000,
        }),
        brands: brandListSchema.default({ names: [], domains: [] }),
        label: z.string().default('brand-name or large-company'),
      })
      .default({
        tiers: ['enterprise'],
        bands: {
          enterpriseEmployees: 1000,
          midMarketEmployees: 200,
          enterpriseRevenue: 1_000_000_000,
          midMarketRevenue: 50_000_000,
        },
        brands: { names: [], domains: [] },
        label: 'brand-name or large-company',
      }),
    industry: z
      .object({
        favoured: z.array(z.string().min(1)).default([]),
        label: z.string().default('favoured-industry'),
      })
      .default({ favoured: [], label: 'favoured-industry' }),
  })
  .strict();
export type AttractivenessConfig = z.infer<typeof attractivenessConfigSchema>;

export const defaultAttractivenessConfig: AttractivenessConfig = attractivenessConfigSchema.parse({});

/** Parses a config (from JSON text or a value); errors name the offending field. */
export function parseAttractivenessConfig(
  input: unknown,
  source = 'attractiveness config',
): AttractivenessConfig {
  const result = attractivenessConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new AppError('bad_input', `${issue.message}`, {
    location: { file: source, field: issue.path.join('.') || '(root)' },
  });
}

export async function loadAttractivenessConfig(db: Kysely<Database>): Promise<AttractivenessConfig> {
  const row = await db
    .selectFrom('workspace_settings')
    .select('value')
    .where('key', '=', attractivenessSettingsKey)
    .executeTakeFirst();
  if (!row) return defaultAttractivenessConfig;
  let value: unknown;
  try {
    value = JSON.parse(row.value);
  } catch (error) {
    throw new AppError('bad_input', 'stored attractiveness config is not valid JSON', {
      location: { file: `workspace_settings.${attractivenessSettingsKey}` },
      cause: error,
    });
  }
  return parseAttractivenessConfig(value, `workspace_settings.${attractivenessSettingsKey}`);
}

export async function saveAttractivenessConfig(
  db: Kysely<Database>,
  options: { config: unknown; now: number },
): Promise<AttractivenessConfig> {
  const config = parseAttractivenessConfig(options.config);
  const value = JSON.stringify(config);
  await db
    .insertInto('workspace_settings')
    .values({ key: attractivenessSettingsKey, value, updated_at: options.now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: options.now }))
    .execute();
  return config;
}

export const attributeKinds = ['seniority', 'company', 'industry'] as const;
export type AttributeKind = (typeof attributeKinds)[number];

/** What a lead looks like to a rep, from its title and company. */
export type LeadLooks = {
  seniority: Seniority;
  tier: CompanyTier;
  brand: boolean;
  industry: string | null;
};

export type LeadProfileInput = {
  title: string | null;
  company: string | null;
  companyDomain: string | null;
  employees: number | null;
  annualRevenue: number | null;
  industry: string | null;
};

/**
 * A compiled config: `looks` derives a lead's attributes, `attractive` says 1 (attractive), 0 (the
 * comparison group) or null (not comparable, e.g. unknown title) for one attribute. Titles and
 * company names repeat, so both are cached.
 */
export function compileAttractiveness(config: AttractivenessConfig) {
  const brands: BrandIndex = indexBrands(config.company.brands);
  const attractiveLevels = new Set<Seniority>(config.seniority.attractive);
  const comparedLevels = new Set<Seniority>(
    config.seniority.comparedWith ??
      (['c_level', 'vp', 'director', 'manager', 'individual_contributor'] as const).filter(
        (s) => !attractiveLevels.has(s),
      ),
  );
  const tiers = new Set<CompanyTier>(config.company.tiers);
  const favoured = new Set(config.industry.favoured.map(normaliseIndustry));
  const titleCache = new Map<string, Seniority>();
  const brandCache = new Map<string, boolean>();
  const hasBrands = brands.names.size > 0 || brands.domains.size > 0;

  const seniorityOf = (title: string | null): Seniority => {
    if (!title) return 'unknown';
    let s = titleCache.get(title);
    if (s === undefined) {
      s = classifyTitle(title).seniority;
      titleCache.set(title, s);
    }
    return s;
  };
  const brandOf = (name: string | null, domain: string | null): boolean => {
    if (!hasBrands || (!name && !domain)) return false;
    const key = `${name ?? ''}\u0000${domain ?? ''}`;
    let b = brandCache.get(key);
    if (b === undefined) {
      b = isBrand(brands, { name, domain });
      brandCache.set(key, b);
    }
    return b;
  };

  const looks = (lead: LeadProfileInput): LeadLooks => ({
    seniority: seniorityOf(lead.title),
    tier: companyTier({
      employees: lead.employees,
      annualRevenue: lead.annualRevenue,
      bands: config.company.bands,
    }),
    brand: brandOf(lead.company, lead.companyDomain),
    industry: lead.industry,
  });

  const attractive = (kind: AttributeKind, l: LeadLooks): 0 | 1 | null => {
    if (kind === 'seniority') {
      if (attractiveLevels.has(l.seniority)) return 1;
      return comparedLevels.has(l.seniority) ? 0 : null;
    }
    if (kind === 'company') {
      if (l.brand || tiers.has(l.tier)) return 1;
      // Without size data a company can still be a listed brand, but an unlisted one is not comparable.
      return l.tier === 'unknown' ? null : 0;
    }
    if (favoured.size === 0 || !l.industry) return null;
    return favoured.has(normaliseIndustry(l.industry)) ? 1 : 0;
  };

  const labels = (kind: AttributeKind): { attractiveLabel: string; otherLabel: string } => {
    if (kind === 'seniority') {
      const others = [...comparedLevels].map((s) =>
        s.replace(/_/g, ' ').replace('individual contributor', 'IC'),
      );
      return { attractiveLabel: `${config.seniority.label} leads`, otherLabel: `${others.join('/')} leads` };
    }
    if (kind === 'company')
      return { attractiveLabel: `${config.company.label} leads`, otherLabel: 'other-company leads' };
    return { attractiveLabel: `${config.industry.label} leads`, otherLabel: 'other-industry leads' };
  };

  return { config, looks, attractive, labels, seniorityOf, brandOf };
}
export type CompiledAttractiveness = ReturnType<typeof compileAttractiveness>;
