import { describe, expect, it } from 'vitest';
import { buildMatchIndex, chooseLead, identify, type LeadRef, matchExternal } from './matcher.ts';
import { domainRollUp, isPersonalDomain, normaliseEmail, normalisePhone } from './normalise.ts';

describe('normaliseEmail', () => {
  it.each([
    ['Anna.Smith@Acme.COM', 'anna.smith@acme.com'],
    ['anna.smith+crm@acme.com', 'anna.smith@acme.com'],
    ['"Smith, Anna" <Anna.Smith@acme.com>', 'anna.smith@acme.com'],
    ['mailto:anna@acme.com', 'anna@acme.com'],
    ["'anna@acme.com'", 'anna@acme.com'],
    ['not-an-address', undefined],
    ['@acme.com', undefined],
  ])('%s → %s', (raw, expected) => expect(normaliseEmail(raw)).toBe(expected));
});

describe('normalisePhone', () => {
  it.each([
    ['(415) 555-2671', 'US', '+14155552671'],
    ['+44 20 7946 0958', 'US', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['33012345', 'US', '33012345'],
    ['12', 'US', undefined],
  ])('%s in %s → %s', (raw, region, expected) => expect(normalisePhone(raw, region)).toBe(expected));
});

describe('domains', () => {
  it('rolls subdomains up to two labels', () => {
    expect(domainRollUp('mail.us.acme.com')).toEqual(['mail.us.acme.com', 'us.acme.com', 'acme.com']);
  });
  it('knows personal providers, also under subdomains', () => {
    expect(isPersonalDomain('gmail.com')).toBe(true);
    expect(isPersonalDomain('mail.yahoo.com')).toBe(true);
    expect(isPersonalDomain('acme.com')).toBe(false);
  });
});

const lead = (id: number, over: Partial<LeadRef> = {}): LeadRef => ({
  id,
  ownerRepId: null,
  open: true,
  recency: id * 10,
  accountId: null,
  ...over,
});

describe('chooseLead (tie rule)', () => {
  it('prefers the open lead owned by a rep on the activity and says it was a tie', () => {
    const r = chooseLead([lead(1, { ownerRepId: 7 }), lead(2, { ownerRepId: 8 }), lead(3)], [7]);
    expect(r.lead.id).toBe(1);
    expect(r.note).toBe('tie: 3 leads (1,2,3); chose 1, open lead owned by the rep on the activity');
  });
  it('falls back to the most recent lead', () => {
    const r = chooseLead([lead(1, { ownerRepId: 7, open: false }), lead(5), lead(3)], [7]);
    expect(r.lead.id).toBe(5);
    expect(r.note).toContain('most recent lead');
  });
  it('a single lead is no tie', () => expect(chooseLead([lead(4)], []).note).toBeNull());
});

describe('matchExternal', () => {
  const index = buildMatchIndex({
    reps: [{ id: 1, email: 'rep@ours.com' }],
    repIdentities: [
      { rep_id: 1, kind: 'email', value: 'Rep.Alias@ours.com' },
      { rep_id: 1, kind: 'phone', value: '+1 415 555 0000' },
    ],
    leads: [
      {
        id: 10,
        email: 'Anna@Acme.com',
        phone: null,
        owner_rep_id: 1,
        status: 'mql',
        handed_over_at: 5,
        created_at: 1,
        account_id: 100,
      },
      {
        id: 11,
        email: null,
        phone: '(212) 555-0199',
        owner_rep_id: null,
        status: 'mql',
        handed_over_at: null,
        created_at: 1,
        account_id: null,
      },
    ],
    contacts: [{ id: 20, email: 'bob@acme.com', phone: null, account_id: 100, updated_at: 1 }],
    accountDomains: [{ account_id: 100, domain: 'acme.com' }],
    ownDomains: [],
    blocklist: [],
    defaultRegion: 'US',
    openStatuses: ['mql', 'accepted', 'working'],
  });
  const match = (p: { email?: string; phone?: string }) => matchExternal(index, identify(index, p), [1]);

  it.each([
    [{ email: 'anna+news@ACME.com' }, { rule: 'email', leadId: 10, accountId: 100 }],
    [{ email: 'bob@acme.com' }, { rule: 'email', contactId: 20, leadId: null }],
    [{ phone: '+1 212 555 0199' }, { rule: 'phone', leadId: 11 }],
    [{ email: 'carol@eu.acme.com' }, { rule: 'domain', accountId: 100, leadId: null }],
    [{ email: 'dave@gmail.com' }, { rule: null, accountId: null }],
    [{ email: 'rep.alias@ours.com' }, { rule: 'rep', repId: 1 }],
    [{ phone: '415-555-0000' }, { rule: 'rep', repId: 1 }],
  ])('%o → %o', (p, expected) => expect(match(p)).toMatchObject(expected));

  it('treats other people at own domains as internal', () => {
    expect(match({ email: 'colleague@ours.com' })).toMatchObject({ external: false, rule: null });
  });
});
