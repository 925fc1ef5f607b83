import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import {
  type BehaviourEvent,
  type LeadFacts,
  parseScoringRules,
  type ScoringRules,
  scoreLead,
} from './rules.ts';
import { titleSeniority } from './title-seniority.ts';

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 23);
const example = parseScoringRules(
  readFileSync('test-fixtures/scoring/rules.example.yaml', 'utf8'),
  'example',
);

const lead = (fields: LeadFacts['fields'], more: Partial<LeadFacts> = {}): LeadFacts => ({ fields, ...more });
const ev = (kind: string, daysAgo: number): BehaviourEvent => ({ kind, occurredAt: now - daysAgo * DAY });

describe('fit rules', () => {
  it.each([
    { name: 'VP title', fields: { title: 'VP Sales' }, fit: 20 },
    { name: 'CEO title', fields: { title: 'CEO' }, fit: 25 },
    { name: 'individual contributor', fields: { title: 'Sales Engineer' }, fit: 0 },
    { name: 'industry match is case-insensitive', fields: { industry: 'software' }, fit: 10 },
    { name: 'employees inside a range', fields: { employees: 200 }, fit: 15 },
    { name: 'employees below every range', fields: { employees: 199 }, fit: 0 },
    { name: 'employees open-ended range', fields: { employees: 10000 }, fit: 20 },
    {
      name: 'firmographics capped at 40',
      fields: { industry: 'Software', employees: 9000, country: 'US', title: 'Chief Revenue Officer' },
      fit: 35 + 25,
    },
    { name: 'missing fields give nothing', fields: {}, fit: 0 },
  ])('$name → fit $fit', ({ fields, fit }) => {
    expect(scoreLead({ rules: example, lead: lead(fields), events: [], now }).fit).toBe(fit);
  });

  it('reads the account when the lead lacks the field, and account.<field> explicitly', () => {
    const facts = lead({ industry: null }, { account: { industry: 'Healthcare', employees: 300 } });
    expect(scoreLead({ rules: example, lead: facts, events: [], now }).fit).toBe(25);
  });

  it('caps a group: 35 firmographic points above a cap of 30 give 30', () => {
    const rules: ScoringRules = { ...example, fit: [{ ...example.fit[1]!, cap: 30 }] };
    const s = scoreLead({
      rules,
      lead: lead({ industry: 'Software', employees: 300, country: 'US' }),
      events: [],
      now,
    });
    expect(s.groups[0]).toEqual({ kind: 'fit', group: 'firmographics', uncapped: 30, points: 30 });
    const t = scoreLead({
      rules,
      lead: lead({ industry: 'Software', employees: 9000, country: 'US' }),
      events: [],
      now,
    });
    expect(t.groups[0]).toEqual({ kind: 'fit', group: 'firmographics', uncapped: 35, points: 30 });
  });
});

describe('behaviour rules with decay and caps', () => {
  it.each([
    { name: 'a demo request today', events: [ev('demo_request', 0)], behaviour: 30 },
    { name: 'a demo request a month ago halves', events: [ev('demo_request', 30)], behaviour: 15 },
    { name: 'two months ago quarters', events: [ev('demo_request', 60)], behaviour: 7.5 },
    { name: 'a future event counts in full', events: [ev('demo_request', -3)], behaviour: 30 },
    {
      name: 'two fresh demo requests cap at 40',
      events: [ev('demo_request', 0), ev('demo_request', 0)],
      behaviour: 40,
    },
    {
      name: 'ten visits today cap at 15',
      events: Array.from({ length: 10 }, () => ev('web_visit', 0)),
      behaviour: 15,
    },
    {
      name: 'ten visits 60 days ago decay below the cap',
      events: Array.from({ length: 10 }, () => ev('web_visit', 60)),
      behaviour: 5,
    },
    { name: 'unknown kinds are ignored', events: [ev('email_open', 0)], behaviour: 0 },
    {
      name: 'groups add up',
      events: [ev('webinar_attended', 0), ev('content_download', 30), ev('opt_in', 0)],
      behaviour: 12 + 4 + 5,
    },
  ])('$name → behaviour $behaviour', ({ events, behaviour }) => {
    expect(scoreLead({ rules: example, lead: lead({}), events, now }).behaviour).toBeCloseTo(behaviour, 2);
  });

  it('imported numeric columns give points × value / per, counted inside the group cap', () => {
    const s = scoreLead({
      rules: example,
      lead: lead({}, { extra: { TotalVisits: '7' } }),
      events: [ev('web_visit', 0)],
      now,
    });
    expect(s.groups.find((g) => g.group === 'web')).toEqual({
      kind: 'behaviour',
      group: 'web',
      uncapped: 9,
      points: 9,
    });
  });

  it('score is fit + behaviour and both are kept', () => {
    const s = scoreLead({
      rules: example,
      lead: lead({ title: 'Director of IT' }),
      events: [ev('demo_request', 30)],
      now,
    });
    expect(s).toMatchObject({ fit: 12, behaviour: 15, score: 27 });
  });
});

describe('parsing rules', () => {
  it.each([
    {
      name: 'unknown key',
      text: 'fit:\n  - group: a\n    rules:\n      - field: industry\n        points: { x: 1 }\n        point: 3\n',
      line: 6,
      field: 'fit.0.rules.0.point',
    },
    {
      name: 'points without a condition',
      text: 'fit:\n  - group: a\n    rules:\n      - field: industry\n        points: 3\n',
      line: 5,
      field: 'fit.0.rules.0.points',
    },
    {
      name: 'negative cap',
      text: '{"behaviour": [{"group": "w", "cap": -1, "rules": [{"event": "web_visit", "points": 1}]}]}',
      line: 1,
      field: 'behaviour.0.cap',
    },
    {
      name: 'both event and column',
      text: 'behaviour:\n  - group: w\n    rules:\n      - { event: web_visit, column: X, points: 1 }\n',
      line: 4,
      field: 'behaviour.0.rules.0',
    },
    { name: 'broken YAML', text: 'fit: [\n', line: 2, field: undefined },
  ])('$name → error at line $line, field $field', ({ text, line, field }) => {
    try {
      parseScoringRules(text, 'r.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      const e = error as AppError;
      expect(e.code).toBe('bad_input');
      expect(e.location?.file).toBe('r.yaml');
      expect(e.location?.line).toBe(line);
      expect(e.location?.field).toBe(field);
    }
  });
});

describe('title seniority (shared classifier in src/attributes/title.ts)', () => {
  it.each([
    ['Chief Executive Officer', 'c_level'],
    ['CFO', 'c_level'],
    ['SVP, Marketing', 'vp'],
    ['Vice President of Sales', 'vp'],
    ['Head of Data', 'director'],
    ['Marketing Manager', 'manager'],
    ['', null],
  ])('%s → %s', (title, seniority) => {
    expect(titleSeniority(title)).toBe(seniority);
  });
});
