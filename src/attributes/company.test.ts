import { describe, expect, it } from 'vitest';
import {
  companyTier,
  indexBrands,
  isBrand,
  normaliseCompanyName,
  normaliseDomain,
  tierBandsSchema,
} from './company.ts';

describe('normaliseCompanyName', () => {
  it.each([
    ['Acme, Inc.', 'acme'],
    ['ACME Corp', 'acme'],
    ['The Acme Company', 'acme'],
    ['Acme LLC', 'acme'],
    ['Siemens AG', 'siemens'],
    ['Nestlé S.A.', 'nestle'],
    ['Enel S.p.A.', 'enel'],
    ['Foo GmbH & Co. KG', 'foo'],
    ['Procter & Gamble Co.', 'procter and gamble'],
    ['AT&T Inc.', 'at and t'],
  ])('%s → %s', (name, expected) => {
    expect(normaliseCompanyName(name)).toBe(expected);
  });
});

describe('brand list', () => {
  const index = indexBrands({
    names: ['Acme Corporation', 'Procter & Gamble'],
    domains: ['https://www.globex.com/'],
  });
  it('matches by normalised name or by domain, including subdomains and e-mail addresses', () => {
    expect(isBrand(index, { name: 'ACME, Inc.' })).toBe(true);
    expect(isBrand(index, { name: 'Procter and Gamble Co' })).toBe(true);
    expect(isBrand(index, { domain: 'eu.globex.com' })).toBe(true);
    expect(isBrand(index, { domain: 'jane@globex.com' })).toBe(true);
    expect(isBrand(index, { name: 'Acme Tools', domain: 'notglobex.com' })).toBe(false);
  });
  it('normalises domains from URLs and addresses', () => {
    expect(normaliseDomain('HTTPS://WWW.Example.COM/path?q')).toBe('example.com');
    expect(normaliseDomain('a@b.example.org')).toBe('b.example.org');
  });
});

describe('companyTier', () => {
  const bands = tierBandsSchema.parse({});
  it.each([
    [5000, null, 'enterprise'],
    [1000, null, 'enterprise'],
    [999, null, 'mid_market'],
    [50, 2_000_000_000, 'enterprise'],
    [50, 60_000_000, 'mid_market'],
    [50, 1_000_000, 'smb'],
    [null, null, 'unknown'],
    [0, null, 'unknown'],
  ])('%s employees, revenue %s → %s', (employees, annualRevenue, tier) => {
    expect(companyTier({ employees, annualRevenue, bands })).toBe(tier);
  });
});
