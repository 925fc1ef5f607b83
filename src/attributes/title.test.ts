import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir, sharedDataPath } from '../testing/shared-data.ts';
import { classifyTitle } from './title.ts';
import { agreesWithSoc, measureCoverage, parseOnetTsv, socLevel } from './title-measure.ts';
import { readLabelledSample } from './title-sample.ts';

describe('classifyTitle', () => {
  it.each([
    ['CEO & Founder', 'c_level', 'executive'],
    ['Chief Revenue Officer', 'c_level', 'sales'],
    ['Chief Information Security Officer (CISO)', 'c_level', 'it_engineering'],
    ['CFO', 'c_level', 'finance'],
    ['CxO', 'c_level', 'executive'],
    ['President', 'c_level', 'executive'],
    ['Co-Founder', 'c_level', 'executive'],
    ['Managing Director', 'c_level', 'executive'],
    ['Geschäftsführer', 'c_level', 'executive'],
    ['Directeur Général', 'c_level', 'executive'],
    ['Director General', 'c_level', 'executive'],
    ['Gerente General', 'c_level', 'executive'],
    ['Amministratore Delegato', 'c_level', 'executive'],
    ['PDG', 'c_level', 'executive'],
    ['Vice President of Finance', 'vp', 'finance'],
    ['VP Sales / Marketing', 'vp', 'sales'],
    ['Sr. VP, Engineering', 'vp', 'it_engineering'],
    ['SVP Marketing', 'vp', 'marketing'],
    ['EVP & General Counsel', 'vp', 'legal'],
    ['AVP Underwriting', 'vp', 'other'],
    ['Vicepresidente Comercial', 'vp', 'sales'],
    ['Head of Growth', 'director', 'marketing'],
    ['Dir. of Ops', 'director', 'operations'],
    ['Directeur Commercial', 'director', 'sales'],
    ['Directrice Marketing', 'director', 'marketing'],
    ['Leiter Vertrieb', 'director', 'sales'],
    ['Diretor de TI', 'director', 'it_engineering'],
    ['Sales Director', 'director', 'sales'],
    ['Elementary Principal', 'director', 'other'],
    ['IT Mgr', 'manager', 'it_engineering'],
    ['Gerente de Ventas', 'manager', 'sales'],
    ['Responsable Marketing', 'manager', 'marketing'],
    ['Jefe de Compras', 'manager', 'operations'],
    ['Assistant Director of Nursing', 'manager', 'other'],
    ['Marketing Operations Manager', 'manager', 'marketing'],
    ['Team Lead, Customer Success', 'manager', 'customer_success'],
    ['Software Engineer', 'individual_contributor', 'it_engineering'],
    ['Account Executive', 'individual_contributor', 'sales'],
    ['Product Owner', 'individual_contributor', 'product'],
    ['Executive Assistant to the CEO', 'individual_contributor', 'other'],
    ['Management Consultant', 'individual_contributor', 'other'],
    ['Jr. Data Analyst', 'individual_contributor', 'it_engineering'],
    ['Recruiter', 'individual_contributor', 'hr'],
    ['Ingeniero de Software', 'individual_contributor', 'it_engineering'],
    ['n/a', 'unknown', 'other'],
    ['', 'unknown', 'other'],
  ])('%s → %s, %s', (title, seniority, fn) => {
    const c = classifyTitle(title);
    expect([c.seniority, c.function]).toEqual([seniority, fn]);
  });
});

describe('hand-labelled O*NET sample', () => {
  const sample = readLabelledSample(
    readFileSync(join(import.meta.dirname, '../../test-fixtures/attributes/title-sample.csv'), 'utf8'),
  );
  it('agrees with the hand labels on at least 95 % of the 120 titles', () => {
    const agree = sample.filter((row) => classifyTitle(row.title).seniority === row.label).length;
    expect(sample).toHaveLength(120);
    expect(agree / sample.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe.skipIf(!sharedDataDir)('coverage on the real titles in ../shared/data/job_titles', () => {
  const read = (file: string) =>
    parseOnetTsv(readFileSync(sharedDataPath('job_titles', 'onet', file), 'utf8'));

  it('classifies at least 98.5 % of the 7,541 O*NET reported titles (measured 99.0 %)', () => {
    const titles = read('Sample of Reported Titles.txt').map(([, title]) => title ?? '');
    const coverage = measureCoverage(titles);
    expect(coverage.titles).toBe(7541);
    expect(coverage.coverage).toBeGreaterThanOrEqual(0.985);
  });

  it('classifies at least 97 % of the 73,380 normalised real titles (measured 97.3 %)', () => {
    const titles = readFileSync(sharedDataPath('job_titles', 'job-titles.txt'), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(titles).toHaveLength(73380);
    expect(measureCoverage(titles).coverage).toBeGreaterThanOrEqual(0.97);
  });

  it('agrees with the SOC-derived level on at least 95 % of reported titles (measured 96.2 %)', () => {
    const occupations = new Map(read('Occupation Data.txt').map(([soc, title]) => [soc, title ?? '']));
    const rows = read('Sample of Reported Titles.txt');
    const agree = rows.filter(([soc = '', title = '']) =>
      agreesWithSoc(
        classifyTitle(title).seniority,
        socLevel({ soc, occupationTitle: occupations.get(soc) ?? '' }),
      ),
    ).length;
    expect(agree / rows.length).toBeGreaterThanOrEqual(0.95);
  });
});
