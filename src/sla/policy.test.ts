import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { defaultPolicySet, parsePolicySet, selectPolicy } from './policy.ts';

const valid = `policies:
  - name: hot
    match:
      - sources: [Demo_Request]
      - score_min: 80
    first_touch: { within_hours: 24 }
    attempts: { touches: 8, calls: 4, emails: 3 }
    window_days: 21
  - name: big-webinar
    match: { sources: [webinar], segments: [enterprise], score_min: 40, score_max: 80 }
    first_touch: { within_hours: 8, clock: business }
    attempts: { touches: 6 }
    window_days: 30
  - name: default
    first_touch: { within_hours: 48 }
    attempts: { touches: 5 }
    window_days: 30
`;

function errorOf(text: string, file = 'sla.yaml'): AppError {
  try {
    parsePolicySet(text, file);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('parsePolicySet', () => {
  it('fills defaults', () => {
    const set = parsePolicySet(valid, 'sla.yaml');
    expect(set.policies.map((p) => p.name)).toEqual(['hot', 'big-webinar', 'default']);
    expect(set.policies[0]!.first_touch.clock).toBe('wall');
    expect(set.policies[0]!.warning_hours).toBe(4);
    expect(set.policies[0]!.ends_on).toEqual(['qualified', 'disqualified_after_contact', 'rejected']);
  });

  it('reads JSON too', () => {
    const json = JSON.stringify({
      policies: [{ name: 'd', first_touch: { within_hours: 1 }, attempts: { touches: 1 }, window_days: 1 }],
    });
    expect(parsePolicySet(json, 'p.json').policies[0]!.name).toBe('d');
  });

  it.each([
    [
      'a wrong type points at its line and field',
      valid.replace('within_hours: 24', 'within_hours: soon'),
      { line: 6, field: 'policies.0.first_touch.within_hours' },
      /expected number/,
    ],
    [
      'an unknown clock says what is valid',
      valid.replace('clock: business', 'clock: office'),
      { line: 11, field: 'policies.1.first_touch.clock' },
      /"wall"\|"business"|wall.*business/,
    ],
    [
      'a missing field points at its parent',
      valid.replace('    window_days: 21\n', ''),
      { line: 2, field: 'policies.0.window_days' },
      /expected number/,
    ],
    [
      'an unknown key is rejected',
      valid.replace('    window_days: 21\n', '    window_days: 21\n    windw_days: 3\n'),
      { line: 2, field: 'policies.0' },
      /windw_days/,
    ],
    [
      'per-kind minimums above the total',
      valid.replace('touches: 8, calls: 4', 'touches: 5, calls: 4'),
      { line: 7, field: 'policies.0.attempts.touches' },
      /must not exceed/,
    ],
    [
      'the default must come last',
      `${valid}  - name: late\n    match: { sources: [x] }\n    first_touch: { within_hours: 1 }\n    attempts: { touches: 1 }\n    window_days: 1\n`,
      { line: 14, field: 'policies.2.name' },
      /only the last policy may omit/,
    ],
    ['broken YAML', 'policies: [\n  {name: x', { line: 2 }, /not valid YAML/],
  ])('%s', (_name, text, location, message) => {
    const error = errorOf(text);
    expect(error.code).toBe('bad_input');
    expect(error.location).toMatchObject({ file: 'sla.yaml', ...location });
    expect(error.message).toMatch(message);
  });
});

describe('selectPolicy', () => {
  const { policies } = parsePolicySet(valid, 'sla.yaml');
  const subject = { source: null, campaign: null, segment: null, score: null };
  it.each([
    ['source match ignores case', { source: 'demo_request' }, 'hot'],
    ['score band alone selects hot', { source: 'web', score: 85 }, 'hot'],
    [
      'all criteria of one match must hold',
      { source: 'webinar', segment: 'enterprise', score: 50 },
      'big-webinar',
    ],
    ['score_max is exclusive', { source: 'webinar', segment: 'enterprise', score: 80 }, 'hot'],
    ['missing segment falls through', { source: 'webinar', score: 50 }, 'default'],
    ['nothing known gets the default', {}, 'default'],
  ])('%s', (_name, over, expected) => {
    expect(selectPolicy(policies, { ...subject, ...over }).name).toBe(expected);
  });

  it('ships a valid default set ending with a default policy', () => {
    const set = defaultPolicySet();
    expect(set.policies.at(-1)!.match).toBeUndefined();
    expect(selectPolicy(set.policies, { ...subject, source: 'demo_request' }).first_touch.within_hours).toBe(
      24,
    );
    expect(selectPolicy(set.policies, { ...subject, source: 'demo_request' }).attempts.touches).toBe(8);
    expect(selectPolicy(set.policies, { ...subject, source: 'tradeshow' }).name).toBe('tradeshow');
  });
});
