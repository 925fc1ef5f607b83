import type { MatchRule } from '../domain/words.ts';
import { domainRollUp, emailDomain, normaliseEmail, normalisePhone, personalProviders } from './normalise.ts';

export type LeadRef = {
  id: number;
  ownerRepId: number | null;
  open: boolean;
  /** Larger is more recent (handed over, else created, epoch ms). */
  recency: number;
  accountId: number | null;
};
export type ContactRef = { id: number; accountId: number | null; recency: number };

/** In-memory lookups built once per run: address/phone/domain → ids. */
export type MatchIndex = {
  repByEmail: Map<string, number>;
  repByPhone: Map<string, number>;
  leads: LeadLookup;
  contactsByEmail: Map<string, ContactRef[]>;
  contactsByPhone: Map<string, ContactRef[]>;
  accountByDomain: Map<string, number>;
  ownDomains: Set<string>;
  blocklist: Set<string>;
  defaultRegion: string;
  /** Identify results by raw address/phone: the same people recur in every message. */
  identifyCache: Map<string, ParticipantMatch>;
  /** Per e-mail domain: personal provider, own domain, account (rolled up to parents). */
  domainCache: Map<string, DomainFacts>;
};

type DomainFacts = { personal: boolean; own: boolean; accountId: number | undefined };
const CACHE_LIMIT = 10_000;

export type MatchIndexInput = {
  repIdentities: Array<{ rep_id: number; kind: string; value: string }>;
  reps: Array<{ id: number; email: string | null }>;
  leads: Array<{
    id: number;
    email: string | null;
    phone: string | null;
    owner_rep_id: number | null;
    status: string;
    handed_over_at: number | null;
    created_at: number;
    account_id: number | null;
  }>;
  contacts: Array<{
    id: number;
    email: string | null;
    phone: string | null;
    account_id: number | null;
    updated_at: number;
  }>;
  accountDomains: Array<{ account_id: number; domain: string }>;
  ownDomains: string[];
  blocklist: string[];
  defaultRegion: string;
  openStatuses: readonly string[];
};

/**
 * Leads by normalised address and by phone. The facts of each lead sit in columns (one number per lead
 * and fact) and a key maps to one number: the lead's slot, or −1 − k for the k-th list when several
 * leads share the key. At 100k leads that is about a third of the memory of an object and an array per
 * lead, which keeps a capture's peak RSS in bounds; `get` builds the LeadRefs on demand.
 */
export class LeadLookup {
  private readonly keys = { email: new Map<string, number>(), phone: new Map<string, number>() };
  private readonly shared: number[][] = [];
  private readonly id: number[] = [];
  private readonly owner: number[] = [];
  private readonly open: number[] = [];
  private readonly recency: number[] = [];
  private readonly account: number[] = [];

  /** Adds a lead under its (normalised) address and phone, either of which may be missing. */
  add(ref: LeadRef, email: string | undefined, phone: string | undefined): void {
    if (email === undefined && phone === undefined) return;
    const slot = this.id.length;
    this.id.push(ref.id);
    this.owner.push(ref.ownerRepId ?? -1);
    this.open.push(ref.open ? 1 : 0);
    this.recency.push(ref.recency);
    this.account.push(ref.accountId ?? -1);
    if (email !== undefined) this.file(this.keys.email, email, slot);
    if (phone !== undefined) this.file(this.keys.phone, phone, slot);
  }

  get(kind: 'email' | 'phone', key: string): LeadRef[] | undefined {
    const found = this.keys[kind].get(key);
    if (found === undefined) return undefined;
    if (found >= 0) return [this.ref(found)];
    return (this.shared[-found - 1] as number[]).map((slot) => this.ref(slot));
  }

  private file(map: Map<string, number>, key: string, slot: number): void {
    const current = map.get(key);
    if (current === undefined) map.set(key, slot);
    else if (current >= 0) {
      this.shared.push([current, slot]);
      map.set(key, -this.shared.length);
    } else this.shared[-current - 1]?.push(slot);
  }

  private ref(slot: number): LeadRef {
    const owner = this.owner[slot] as number;
    const account = this.account[slot] as number;
    return {
      id: this.id[slot] as number,
      ownerRepId: owner === -1 ? null : owner,
      open: this.open[slot] === 1,
      recency: this.recency[slot] as number,
      accountId: account === -1 ? null : account,
    };
  }
}

const push = <K, V>(map: Map<K, V[]>, key: K | undefined, value: V) => {
  if (key === undefined) return;
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** Builds the lookup maps from plain rows (loaded once by the caller). */
export function buildMatchIndex(input: MatchIndexInput): MatchIndex {
  const repByEmail = new Map<string, number>();
  const repByPhone = new Map<string, number>();
  for (const rep of input.reps) {
    const email = normaliseEmail(rep.email);
    if (email) repByEmail.set(email, rep.id);
  }
  for (const identity of input.repIdentities) {
    if (identity.kind === 'email') {
      const email = normaliseEmail(identity.value);
      if (email) repByEmail.set(email, identity.rep_id);
    } else {
      const phone = normalisePhone(identity.value, input.defaultRegion);
      if (phone) repByPhone.set(phone, identity.rep_id);
    }
  }
  const contactsByEmail = new Map<string, ContactRef[]>();
  const contactsByPhone = new Map<string, ContactRef[]>();
  for (const c of input.contacts) {
    const ref: ContactRef = { id: c.id, accountId: c.account_id, recency: c.updated_at };
    push(contactsByEmail, normaliseEmail(c.email), ref);
    push(contactsByPhone, normalisePhone(c.phone, input.defaultRegion), ref);
  }
  const accountByDomain = new Map<string, number>();
  for (const d of input.accountDomains) accountByDomain.set(d.domain.toLowerCase().trim(), d.account_id);
  const ownDomains = new Set(input.ownDomains.map((d) => d.toLowerCase()));
  if (ownDomains.size === 0) for (const email of repByEmail.keys()) ownDomains.add(emailDomain(email));
  const index: MatchIndex = {
    repByEmail,
    repByPhone,
    leads: new LeadLookup(),
    contactsByEmail,
    contactsByPhone,
    accountByDomain,
    ownDomains,
    blocklist: new Set(input.blocklist.map((b) => b.toLowerCase().trim())),
    defaultRegion: input.defaultRegion,
    identifyCache: new Map(),
    domainCache: new Map(),
  };
  addLeadsToIndex(index, input.leads, input.openStatuses);
  return index;
}

/** Adds leads to an index; callers with many leads add them a page at a time. */
export function addLeadsToIndex(
  index: MatchIndex,
  leads: MatchIndexInput['leads'],
  openStatuses: readonly string[],
): void {
  const open = new Set(openStatuses);
  for (const lead of leads) {
    const ref: LeadRef = {
      id: lead.id,
      ownerRepId: lead.owner_rep_id,
      open: open.has(lead.status),
      recency: lead.handed_over_at ?? lead.created_at,
      accountId: lead.account_id,
    };
    index.leads.add(ref, normaliseEmail(lead.email), normalisePhone(lead.phone, index.defaultRegion));
  }
}

/** How one participant matched, and why. */
export type ParticipantMatch = {
  email: string | null;
  phone: string | null;
  repId: number | null;
  leadId: number | null;
  contactId: number | null;
  accountId: number | null;
  rule: MatchRule | null;
  note: string | null;
  /** Not a rep and not at one of the company's own domains. */
  external: boolean;
  personal: boolean;
};

/** Is the address (or its domain, or a parent domain) blocklisted? */
export function isBlocklisted(index: MatchIndex, email: string | null): boolean {
  if (!email || index.blocklist.size === 0) return false;
  if (index.blocklist.has(email)) return true;
  return domainRollUp(emailDomain(email)).some((d) => index.blocklist.has(d));
}

export const isOwnDomain = (index: MatchIndex, domain: string): boolean =>
  domainRollUp(domain).some((d) => index.ownDomains.has(d));

/** Finds a participant's rep by address or phone; the first step of matching. */
export function identify(
  index: MatchIndex,
  p: { email?: string | null | undefined; phone?: string | null | undefined },
): ParticipantMatch {
  const key = `${p.email ?? ''}\u0000${p.phone ?? ''}`;
  const cached = index.identifyCache.get(key);
  if (cached) return cached;
  const result = identifyUncached(index, p);
  if (index.identifyCache.size > CACHE_LIMIT) index.identifyCache.clear();
  index.identifyCache.set(key, result);
  return result;
}

function identifyUncached(
  index: MatchIndex,
  p: { email?: string | null | undefined; phone?: string | null | undefined },
): ParticipantMatch {
  const email = normaliseEmail(p.email) ?? null;
  const phone = normalisePhone(p.phone, index.defaultRegion) ?? null;
  const repId =
    (email ? index.repByEmail.get(email) : undefined) ?? (phone ? index.repByPhone.get(phone) : undefined);
  const facts = email ? domainFacts(index, emailDomain(email)) : undefined;
  const personal = facts ? facts.personal : false;
  if (repId !== undefined)
    return {
      email,
      phone,
      leadId: null,
      contactId: null,
      accountId: null,
      personal,
      repId,
      rule: 'rep',
      note: null,
      external: false,
    };
  return {
    email,
    phone,
    leadId: null,
    contactId: null,
    accountId: null,
    personal,
    repId: null,
    rule: null,
    note: null,
    external: !facts?.own,
  };
}

/** What a domain says (personal provider, own, account), worked out once per domain. */
function domainFacts(index: MatchIndex, domain: string): DomainFacts {
  let facts = index.domainCache.get(domain);
  if (facts) return facts;
  const rolled = domainRollUp(domain);
  let accountId: number | undefined;
  for (const d of rolled) {
    accountId = index.accountByDomain.get(d);
    if (accountId !== undefined) break;
  }
  facts = {
    personal: rolled.some((d) => personalProviders.has(d)),
    own: rolled.some((d) => index.ownDomains.has(d)),
    accountId,
  };
  if (index.domainCache.size > CACHE_LIMIT) index.domainCache.clear();
  index.domainCache.set(domain, facts);
  return facts;
}

/**
 * Tie rule when one address or phone belongs to several leads: the open lead owned by a rep on
 * the activity wins; then the most recent lead (handed over, else created; then the higher id).
 */
export function chooseLead(
  leads: readonly LeadRef[],
  repIds: readonly number[],
): { lead: LeadRef; note: string | null } {
  if (leads.length === 1) return { lead: leads[0] as LeadRef, note: null };
  const owned = leads.filter((l) => l.open && l.ownerRepId !== null && repIds.includes(l.ownerRepId));
  const pool = owned.length > 0 ? owned : leads;
  const lead = pool.reduce((a, b) =>
    b.recency > a.recency || (b.recency === a.recency && b.id > a.id) ? b : a,
  );
  const why = owned.length > 0 ? 'open lead owned by the rep on the activity' : 'most recent lead';
  return {
    lead,
    note: `tie: ${leads.length} leads (${leads.map((l) => l.id).join(',')}); chose ${lead.id}, ${why}`,
  };
}

function chooseContact(contacts: readonly ContactRef[]): { contact: ContactRef; note: string | null } {
  const contact = contacts.reduce((a, b) =>
    b.recency > a.recency || (b.recency === a.recency && b.id > a.id) ? b : a,
  );
  return {
    contact,
    note: contacts.length > 1 ? `tie: ${contacts.length} contacts; chose most recent ${contact.id}` : null,
  };
}

/**
 * Matches an external participant: exact normalised email → lead/contact; then E.164 phone →
 * lead/contact; then email domain (rolled up to parents) → account. Personal providers never
 * match an account.
 */
export function matchExternal<P extends ParticipantMatch>(
  index: MatchIndex,
  identified: P,
  repIds: readonly number[],
): P {
  if (identified.repId !== null || !identified.external) return identified;
  if (identified.email) {
    const step = matchStep({
      index,
      identified,
      repIds,
      rule: 'email',
      leads: index.leads.get('email', identified.email),
      contacts: index.contactsByEmail.get(identified.email),
    });
    if (step) return step;
  }
  if (identified.phone) {
    const step = matchStep({
      index,
      identified,
      repIds,
      rule: 'phone',
      leads: index.leads.get('phone', identified.phone),
      contacts: index.contactsByPhone.get(identified.phone),
    });
    if (step) return step;
  }
  const accountId = domainAccount(index, identified);
  if (accountId !== undefined) return { ...identified, accountId, rule: 'domain' };
  return identified;
}

/** One step of matchExternal: the lead and/or contact found by one key, or undefined. */
function matchStep<P extends ParticipantMatch>(input: {
  index: MatchIndex;
  identified: P;
  repIds: readonly number[];
  rule: MatchRule;
  leads: LeadRef[] | undefined;
  contacts: ContactRef[] | undefined;
}): P | undefined {
  const { identified } = input;
  if (!input.leads && !input.contacts) return undefined;
  const lead = input.leads ? chooseLead(input.leads, input.repIds) : undefined;
  const contact = input.contacts ? chooseContact(input.contacts) : undefined;
  const accountId =
    lead?.lead.accountId ?? contact?.contact.accountId ?? domainAccount(input.index, identified) ?? null;
  const note =
    lead?.note && contact?.note ? `${lead.note}; ${contact.note}` : (lead?.note ?? contact?.note ?? null);
  return {
    ...identified,
    leadId: lead?.lead.id ?? null,
    contactId: contact?.contact.id ?? null,
    accountId,
    rule: input.rule,
    note: note || null,
  };
}

function domainAccount(index: MatchIndex, p: ParticipantMatch): number | undefined {
  if (!p.email || p.personal || index.accountByDomain.size === 0) return undefined;
  return domainFacts(index, emailDomain(p.email)).accountId;
}

/** The lead columns the match index needs (capture's loadMatchIndex and rematch read them). */
export const matchLeadColumns = [
  'id',
  'email',
  'phone',
  'owner_rep_id',
  'status',
  'handed_over_at',
  'created_at',
  'account_id',
] as const;
