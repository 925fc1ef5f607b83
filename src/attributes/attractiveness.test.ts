import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import {
  compileAttractiveness,
  defaultAttractivenessConfig,
  loadAttractivenessConfig,
  parseAttractivenessConfig,
  saveAttractivenessConfig,
} from './attractiveness.ts';

const lead = (over: Partial<Parameters<ReturnType<typeof compileAttractiveness>['looks']>[0]>) => ({
  title: null,
  company: null,
  companyDomain: null,
  employees: null,
  annualRevenue: null,
  industry: null,
  ...over,
});

describe('attractiveness defaults', () => {
  const c = compileAttractiveness(defaultAttractivenessConfig);
  it('VP+ titles are attractive, other known levels are the comparison, unknown titles are left out', () => {
    expect(c.attractive('seniority', c.looks(lead({ title: 'SVP Sales' })))).toBe(1);
    expect(c.attractive('seniority', c.looks(lead({ title: 'CEO' })))).toBe(1);
    expect(c.attractive('seniority', c.looks(lead({ title: 'Sales Manager' })))).toBe(0);
    expect(c.attractive('seniority', c.looks(lead({ title: 'n/a' })))).toBeNull();
  });
  it('≥ 1,000 employees is attractive; unknown size is not comparable', () => {
    expect(c.attractive('company', c.looks(lead({ employees: 1000 })))).toBe(1);
    expect(c.attractive('company', c.looks(lead({ employees: 999 })))).toBe(0);
    expect(c.attractive('company', c.looks(lead({})))).toBeNull();
  });
  it('industry is not assessed until favoured industries are configured', () => {
    expect(c.attractive('industry', c.looks(lead({ industry: 'Banking' })))).toBeNull();
  });
});

describe('configured attractiveness', () => {
  const c = compileAttractiveness(
    parseAttractivenessConfig({
      seniority: { attractive: ['c_level', 'vp', 'director'], comparedWith: ['manager'], label: 'Director+' },
      company: { brands: { names: ['Globex Corporation'], domains: ['initech.com'] } },
      industry: { favoured: ['Financial Services'] },
    }),
  );
  it('uses the configured levels, brand list and favoured industries', () => {
    expect(c.attractive('seniority', c.looks(lead({ title: 'Head of IT' })))).toBe(1);
    expect(c.attractive('seniority', c.looks(lead({ title: 'Engineer' })))).toBeNull();
    expect(c.attractive('company', c.looks(lead({ company: 'Globex, Inc.', employees: 20 })))).toBe(1);
    expect(c.attractive('company', c.looks(lead({ companyDomain: 'mail.initech.com' })))).toBe(1);
    expect(c.attractive('industry', c.looks(lead({ industry: 'financial-services' })))).toBe(1);
    expect(c.attractive('industry', c.looks(lead({ industry: 'Retail' })))).toBe(0);
    expect(c.labels('seniority')).toEqual({
      attractiveLabel: 'Director+ leads',
      otherLabel: 'manager leads',
    });
  });
  it('rejects an invalid config naming the field', () => {
    expect(() => parseAttractivenessConfig({ seniority: { attractive: ['king'] } })).toThrowError(AppError);
    try {
      parseAttractivenessConfig({ company: { bands: { enterpriseEmployees: -5 } } });
    } catch (error) {
      expect((error as AppError).location?.field).toBe('company.bands.enterpriseEmployees');
    }
  });
});

describe.each(testEngines())('attractiveness config in workspace_settings on $name', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
  });
  afterAll(async () => {
    await store.close();
  });

  it('returns the defaults until saved, then the saved config', async () => {
    expect(await loadAttractivenessConfig(store.db)).toEqual(defaultAttractivenessConfig);
    await saveAttractivenessConfig(store.db, { config: { industry: { favoured: ['Banking'] } }, now: 1 });
    await saveAttractivenessConfig(store.db, { config: { industry: { favoured: ['Insurance'] } }, now: 2 });
    const loaded = await loadAttractivenessConfig(store.db);
    expect(loaded.industry.favoured).toEqual(['Insurance']);
    expect(loaded.seniority.attractive).toEqual(['c_level', 'vp']);
  });

  it('refuses a stored config that does not validate', async () => {
    await store.db
      .updateTable('workspace_settings')
      .set({ value: '{"seniority":{"attractive":[]}}' })
      .where('key', '=', 'attractiveness')
      .execute();
    await expect(loadAttractivenessConfig(store.db)).rejects.toThrow(
      /workspace_settings|at least|>=|too small/i,
    );
  });
});
