import { z } from 'zod';

// Legal forms stripped from company names before matching ("Acme, Inc." = "ACME Corp" = "acme").
const legalForms = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'cos',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'plc',
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'kgaa',
  'se',
  'sa',
  'sas',
  'sarl',
  'sl',
  'sau',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'oyj',
  'ab',
  'as',
  'asa',
  'aps',
  'kk',
  'pty',
  'pte',
  'bhd',
  'sdn',
  'ltda',
  'cia',
  'the',
]);

/** Lower-case, accents and punctuation removed, legal forms (Inc., Corp., LLC, GmbH, S.A. …) dropped. */
export function normaliseCompanyName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    // "S.A." and "S.p.A." become "sa" / "spa" before punctuation turns into spaces.
    .replace(/\b([a-z])\.(?=[a-z]\.?)/g, '$1')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  // "Foo GmbH & Co. KG": legal forms joined by "and" go too.
  while (words.length > 1 && (legalForms.has(words[words.length - 1]!) || words[words.length - 1] === 'and'))
    words.pop();
  while (words.length > 1 && words[0] === 'the') words.shift();
  return words.join(' ');
}

/** A bare registrable host from a domain, URL or e-mail address: "https://www.Acme.com/x" → "acme.com". */
export function normaliseDomain(value: string): string {
  let s = value.trim().toLowerCase();
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  s = s
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/?#:].*$/, '')
    .replace(/^www\d?\./, '')
    .replace(/\.$/, '');
  return s;
}

export const brandListSchema = z.object({
  names: z.array(z.string().min(1)).default([]),
  domains: z.array(z.string().min(1)).default([]),
});
export type BrandList = z.infer<typeof brandListSchema>;

export type BrandIndex = { names: ReadonlySet<string>; domains: ReadonlySet<string> };

export function indexBrands(list: BrandList): BrandIndex {
  return {
    names: new Set(list.names.map(normaliseCompanyName).filter(Boolean)),
    domains: new Set(list.domains.map(normaliseDomain).filter(Boolean)),
  };
}

/** True when the company's normalised name or its domain (or a parent domain: eu.acme.com → acme.com) is listed. */
export function isBrand(
  index: BrandIndex,
  company: { name?: string | null; domain?: string | null },
): boolean {
  if (company.name && index.names.has(normaliseCompanyName(company.name))) return true;
  if (company.domain) {
    let host = normaliseDomain(company.domain);
    while (host.includes('.')) {
      if (index.domains.has(host)) return true;
      host = host.slice(host.indexOf('.') + 1);
    }
  }
  return false;
}

export const companyTiers = ['enterprise', 'mid_market', 'smb', 'unknown'] as const;
export type CompanyTier = (typeof companyTiers)[number];

export const tierBandsSchema = z.object({
  /** Employees at or above which a company is enterprise / mid-market. */
  enterpriseEmployees: z.number().int().positive().default(1000),
  midMarketEmployees: z.number().int().positive().default(200),
  /** Annual revenue (workspace currency) at or above which a company is enterprise / mid-market. */
  enterpriseRevenue: z.number().positive().default(1_000_000_000),
  midMarketRevenue: z.number().positive().default(50_000_000),
});
export type TierBands = z.infer<typeof tierBandsSchema>;

/** Company tier from employees and revenue bands; the larger of the two signals wins. */
export function companyTier(options: {
  employees: number | null | undefined;
  annualRevenue: number | null | undefined;
  bands: TierBands;
}): CompanyTier {
  const { employees, annualRevenue: revenue, bands } = options;
  const hasEmployees = typeof employees === 'number' && employees > 0;
  const hasRevenue = typeof revenue === 'number' && revenue > 0;
  if (!hasEmployees && !hasRevenue) return 'unknown';
  if (
    (hasEmployees && employees >= bands.enterpriseEmployees) ||
    (hasRevenue && revenue >= bands.enterpriseRevenue)
  )
    return 'enterprise';
  if (
    (hasEmployees && employees >= bands.midMarketEmployees) ||
    (hasRevenue && revenue >= bands.midMarketRevenue)
  )
    return 'mid_market';
  return 'smb';
}

/** Industry names compared loosely: "Financial Services" = "financial-services". */
export const normaliseIndustry = (industry: string): string =>
  industry
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
