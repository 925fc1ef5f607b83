import { createRandom, type Random } from './random.ts';

/**
 * The demo workspace as plain data: teams, reps with habits, leads, the activity each rep
 * produced (as it would be captured from mail, calendars and the dialer), lifecycle events and
 * opportunities. Pure: the same options give the same workspace.
 */
export type DemoOptions = {
  seed: number;
  leads: number;
  /** The demo's "today" (epoch ms); leads are handed over in the `days` before it. */
  now: number;
  days: number;
};

export type DemoHabit = {
  /** Log-odds of working a lead at the average score. */
  base: number;
  /** Extra log-odds for an attractive lead (VP+/CXO title or a 1,000+ employee company). */
  attractiveBias: number;
  /** Median hours from hand-over to the first touch. */
  firstTouchHours: number;
  /** Touches on a worked lead (mean). */
  touches: number;
  /** Share of worked leads closed before the SLA's attempts are met. */
  prematureClose: number;
};

export type DemoRep = {
  key: string;
  name: string;
  email: string;
  phone: string;
  team: string;
  timeZone: string;
  capacityHours: number;
  habit: DemoHabit;
  /** Share of the lead flow this rep receives (1 = an even share). */
  load: number;
  note: string;
};

export type DemoTeam = { name: string; managerKey: string };

export type DemoLead = {
  externalId: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  title: string;
  seniority: Seniority;
  company: string;
  companyDomain: string;
  industry: string;
  employees: number;
  annualRevenue: number;
  country: string;
  source: string;
  campaign: string;
  score: number;
  handedOverAt: number;
  ownerKey: string;
  status: string;
  dispositionReason: string | null;
  convertedAt: number | null;
  attractive: boolean;
};

export type DemoActivity = {
  kind: 'email' | 'call' | 'meeting';
  direction: 'outbound' | 'inbound';
  leadExternalId: string;
  repKey: string;
  occurredAt: number;
  durationSeconds: number | null;
  disposition: string | null;
  subject: string;
  /** Message-ID, ICS UID or dialer call id: what makes capture idempotent. */
  sourceKey: string;
  inReplyTo: string | null;
};

export type DemoEvent = {
  leadExternalId: string;
  kind: string;
  fromStatus: string | null;
  toStatus: string;
  occurredAt: number;
  actor: string;
  reasonCode: string | null;
  reasonText: string | null;
};

export type DemoOpportunity = {
  externalId: string;
  leadExternalId: string;
  ownerKey: string;
  name: string;
  amount: number;
  stage: string;
  openedAt: number;
  closedAt: number | null;
  won: number | null;
};

export type DemoWorkspace = {
  teams: DemoTeam[];
  reps: DemoRep[];
  leads: DemoLead[];
  activities: DemoActivity[];
  events: DemoEvent[];
  opportunities: DemoOpportunity[];
};

export type Seniority = 'cxo' | 'vp' | 'director' | 'manager' | 'individual';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const normalHabit: DemoHabit = {
  base: 1.2,
  attractiveBias: 0,
  firstTouchHours: 6,
  touches: 5,
  prematureClose: 0.08,
};

/** Twelve reps in three teams. Two cherry-pick, one is overloaded, one is slow but thorough. */
const repSpecs: Array<Omit<DemoRep, 'email' | 'phone' | 'key'> & { first: string; last: string }> = [
  {
    first: 'Ana',
    last: 'Ruiz',
    name: '',
    team: 'East',
    timeZone: 'America/New_York',
    capacityHours: 160,
    habit: normalHabit,
    load: 1,
    note: 'steady: works most leads whatever they look like',
  },
  {
    first: 'Ben',
    last: 'Okafor',
    name: '',
    team: 'East',
    timeZone: 'America/New_York',
    capacityHours: 160,
    habit: { ...normalHabit, base: -0.6, attractiveBias: 2.6, firstTouchHours: 3 },
    load: 1,
    note: 'cherry-picker: works VP+/big-company leads far more at equal score',
  },
  {
    first: 'Chloe',
    last: 'Martin',
    name: '',
    team: 'East',
    timeZone: 'America/New_York',
    capacityHours: 120,
    habit: { ...normalHabit, base: 0.2, firstTouchHours: 40, touches: 3, prematureClose: 0.25 },
    load: 2.4,
    note: 'overloaded: 2.4× the lead flow on 120 h a month',
  },
  {
    first: 'Dev',
    last: 'Patel',
    name: '',
    team: 'East',
    timeZone: 'America/New_York',
    capacityHours: 160,
    habit: { ...normalHabit, base: 1.6, touches: 6 },
    load: 1,
    note: 'thorough',
  },
  {
    first: 'Elena',
    last: 'Rossi',
    name: '',
    team: 'West',
    timeZone: 'America/Los_Angeles',
    capacityHours: 160,
    habit: { ...normalHabit, base: 1.0 },
    load: 1,
    note: 'steady',
  },
  {
    first: 'Farid',
    last: 'Haddad',
    name: '',
    team: 'West',
    timeZone: 'America/Los_Angeles',
    capacityHours: 160,
    habit: { ...normalHabit, base: -0.3, attractiveBias: 2.1, firstTouchHours: 4 },
    load: 1,
    note: 'cherry-picker: favours senior titles and large companies',
  },
  {
    first: 'Grace',
    last: 'Kim',
    name: '',
    team: 'West',
    timeZone: 'America/Los_Angeles',
    capacityHours: 160,
    habit: { ...normalHabit, base: 0.8, firstTouchHours: 20, touches: 7 },
    load: 1,
    note: 'slow to first touch but thorough',
  },
  {
    first: 'Hugo',
    last: 'Lefebvre',
    name: '',
    team: 'West',
    timeZone: 'America/Los_Angeles',
    capacityHours: 160,
    habit: { ...normalHabit, base: 1.3, prematureClose: 0.2 },
    load: 1,
    note: 'closes leads early',
  },
  {
    first: 'Ines',
    last: 'Costa',
    name: '',
    team: 'Enterprise',
    timeZone: 'Europe/London',
    capacityHours: 160,
    habit: { ...normalHabit, base: 1.4, touches: 6 },
    load: 0.8,
    note: 'steady',
  },
  {
    first: 'Jonas',
    last: 'Berg',
    name: '',
    team: 'Enterprise',
    timeZone: 'Europe/London',
    capacityHours: 160,
    habit: { ...normalHabit, base: 1.1 },
    load: 0.8,
    note: 'steady',
  },
  {
    first: 'Kofi',
    last: 'Mensah',
    name: '',
    team: 'Enterprise',
    timeZone: 'Europe/London',
    capacityHours: 160,
    habit: { ...normalHabit, base: 0.9, firstTouchHours: 10 },
    load: 0.8,
    note: 'steady',
  },
  {
    first: 'Lena',
    last: 'Vogel',
    name: '',
    team: 'Enterprise',
    timeZone: 'Europe/London',
    capacityHours: 160,
    habit: { ...normalHabit, base: 1.5, firstTouchHours: 2 },
    load: 0.8,
    note: 'fast responder',
  },
];

const sources: ReadonlyArray<readonly [string, number]> = [
  ['webinar', 22],
  ['tradeshow', 12],
  ['partner', 10],
  ['web', 30],
  ['content', 18],
  ['outbound', 8],
];
const campaignsBySource: Record<string, string[]> = {
  webinar: ['2026-Q3 Pipeline Hygiene Webinar', '2026-Q4 Forecasting Webinar'],
  tradeshow: ['SaaStr Europa 2026', 'Dreamforce 2026'],
  partner: ['Partner Referral Program'],
  web: ['Pricing Page Demo Request', 'Free Trial Signup'],
  content: ['State of Sales Ops Report', 'SLA Playbook eBook'],
  outbound: ['Enterprise ABM Q4'],
};
const seniorityTitles: Record<Seniority, string[]> = {
  cxo: ['CEO', 'CFO', 'COO', 'Chief Revenue Officer', 'CTO'],
  vp: ['VP Sales', 'VP Marketing', 'SVP Operations', 'VP Revenue Operations'],
  director: ['Director of Sales Operations', 'Marketing Director', 'Director, IT'],
  manager: ['Sales Manager', 'Marketing Manager', 'Operations Manager', 'IT Manager'],
  individual: ['Sales Operations Analyst', 'Account Executive', 'Marketing Specialist', 'Engineer'],
};
const seniorityWeights: ReadonlyArray<readonly [Seniority, number]> = [
  ['cxo', 6],
  ['vp', 12],
  ['director', 20],
  ['manager', 30],
  ['individual', 32],
];
const industries = [
  'Software',
  'Financial Services',
  'Manufacturing',
  'Healthcare',
  'Retail',
  'Logistics',
  'Education',
  'Media',
];
const companyFirst = [
  'Acme',
  'Northwind',
  'Blue Harbor',
  'Silverline',
  'Granite',
  'Brightpath',
  'Cobalt',
  'Evergreen',
  'Ironwood',
  'Lumen',
  'Meridian',
  'Nimbus',
  'Orchid',
  'Pioneer',
  'Quartz',
  'Redwood',
  'Summit',
  'Tidewater',
  'Vantage',
  'Willow',
];
const companySecond = ['Systems', 'Labs', 'Logistics', 'Health', 'Capital', 'Works', 'Analytics', 'Foods'];
const firstNames = [
  'Alex',
  'Maria',
  'James',
  'Priya',
  'Wei',
  'Sofia',
  'Liam',
  'Aisha',
  'Noah',
  'Yuki',
  'Omar',
  'Emma',
  'Lucas',
  'Fatima',
  'Mateo',
  'Olga',
  'Ravi',
  'Chen',
  'Sara',
  'Tom',
];
const lastNames = [
  'Smith',
  'Garcia',
  'Nguyen',
  'Müller',
  'Johnson',
  'Silva',
  'Kowalski',
  'Tanaka',
  'Brown',
  'Ivanova',
  'Khan',
  'Dubois',
  'Andersen',
  'Rossi',
  'Lee',
  'Novak',
];
const countries = ['US', 'US', 'US', 'GB', 'DE', 'FR', 'CA', 'NL'];
const rejectReasons: ReadonlyArray<readonly [string, string]> = [
  ['duplicate', 'already in an open opportunity'],
  ['not_icp', 'not the buyer; below the MQL bar'],
  ['student_or_job_seeker', 'student / job seeker'],
  ['bad_contact_data', 'phone and e-mail bounce'],
];
const disqualifyReasons: ReadonlyArray<readonly [string, string]> = [
  ['no_budget', 'no budget this year'],
  ['no_need', 'happy with the current tool'],
  ['bad_timing', 'revisit next quarter'],
];

type Company = { name: string; domain: string; industry: string; employees: number; revenue: number };

function makeCompanies(random: Random): Company[] {
  const companies: Company[] = [];
  for (const first of companyFirst) {
    for (const second of companySecond) {
      if (!random.chance(0.55)) continue;
      const employees = Math.round(Math.exp(random.normal(Math.log(250), 1.6)));
      const clamped = Math.min(Math.max(employees, 5), 80_000);
      companies.push({
        name: `${first} ${second}`,
        domain: `${`${first}${second}`.toLowerCase().replace(/[^a-z]/g, '')}.example`,
        industry: random.pick(industries),
        employees: clamped,
        revenue: Math.round(clamped * random.logNormal(180_000, 0.4)),
      });
    }
  }
  return companies;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function generateDemoWorkspace(options: DemoOptions): DemoWorkspace {
  const random = createRandom(options.seed);
  const reps: DemoRep[] = repSpecs.map((spec, index) => {
    const { first, last, ...rest } = spec;
    const handle = `${first}.${last}`.toLowerCase();
    return {
      ...rest,
      key: `rep-${index + 1}`,
      name: `${first} ${last}`,
      email: `${handle}@gleaner-demo.example`,
      phone: `+1415555${String(1000 + index).padStart(4, '0')}`,
    };
  });
  const teams: DemoTeam[] = ['East', 'West', 'Enterprise'].map((name) => {
    const manager = reps.find((r) => r.team === name);
    if (!manager) throw new Error(`team ${name} has no rep`);
    return { name, managerKey: manager.key };
  });
  const companies = makeCompanies(random);
  const repWeights = reps.map((rep) => [rep, rep.load] as const);

  const leads: DemoLead[] = [];
  const activities: DemoActivity[] = [];
  const events: DemoEvent[] = [];
  const opportunities: DemoOpportunity[] = [];
  const usedEmails = new Set<string>();

  for (let i = 0; i < options.leads; i++) {
    const company = random.pick(companies);
    const seniority = random.weighted(seniorityWeights);
    const firstName = random.pick(firstNames);
    const lastName = random.pick(lastNames);
    let local = `${firstName}.${lastName}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z.]/g, '');
    if (usedEmails.has(`${local}@${company.domain}`)) local = `${local}${i}`;
    const email = `${local}@${company.domain}`;
    usedEmails.add(email);
    const source = random.weighted(sources);
    // Attractive leads score a little higher on average: the analysis must stratify by score.
    const seniorBoost = seniority === 'cxo' || seniority === 'vp' ? 6 : 0;
    const score = Math.round(Math.min(99, Math.max(20, random.normal(62 + seniorBoost, 14))));
    const attractive = seniority === 'cxo' || seniority === 'vp' || company.employees >= 1000;
    const handedOverAt =
      options.now - Math.floor(random.next() ** 0.9 * options.days * DAY) - random.int(0, 8) * HOUR;
    const owner = random.weighted(repWeights);
    const externalId = `DEMO-${String(i + 1).padStart(5, '0')}`;
    const lead: DemoLead = {
      externalId,
      firstName,
      lastName,
      email,
      phone: `+1212${String(5_000_000 + i).padStart(7, '0')}`,
      title: random.pick(seniorityTitles[seniority]),
      seniority,
      company: company.name,
      companyDomain: company.domain,
      industry: company.industry,
      employees: company.employees,
      annualRevenue: company.revenue,
      country: random.pick(countries),
      source,
      campaign: random.pick(campaignsBySource[source] ?? ['General']),
      score,
      handedOverAt,
      ownerKey: owner.key,
      status: 'mql',
      dispositionReason: null,
      convertedAt: null,
      attractive,
    };
    leads.push(lead);
    events.push({
      leadExternalId: externalId,
      kind: 'handed_over',
      fromStatus: 'nurture',
      toStatus: 'mql',
      occurredAt: handedOverAt,
      actor: 'import',
      reasonCode: null,
      reasonText: null,
    });
    simulateLead({ random, lead, rep: owner, now: options.now, activities, events, opportunities });
  }
  activities.sort((a, b) => a.occurredAt - b.occurredAt);
  return { teams, reps, leads, activities, events, opportunities };
}

function simulateLead(options: {
  random: Random;
  lead: DemoLead;
  rep: DemoRep;
  now: number;
  activities: DemoActivity[];
  events: DemoEvent[];
  opportunities: DemoOpportunity[];
}): void {
  const { random, lead, rep, now, activities, events } = options;
  const habit = rep.habit;
  const age = now - lead.handedOverAt;
  const setStatus = (
    toStatus: string,
    at: number,
    reason: readonly [string, string] | null = null,
    kind = toStatus,
  ): void => {
    if (at > now) return;
    events.push({
      leadExternalId: lead.externalId,
      kind,
      fromStatus: lead.status,
      toStatus,
      occurredAt: at,
      actor: `rep:${rep.key}`,
      reasonCode: reason?.[0] ?? null,
      reasonText: reason?.[1] ?? null,
    });
    lead.status = toStatus;
    lead.dispositionReason = reason?.[1] ?? lead.dispositionReason;
  };

  // Some leads are rejected before any touch (rejection is not disqualification).
  if (random.chance(0.06)) {
    setStatus('rejected', lead.handedOverAt + random.logNormal(8, 0.8) * HOUR, random.pick(rejectReasons));
    return;
  }
  const logit = habit.base + 0.045 * (lead.score - 62) + (lead.attractive ? habit.attractiveBias : 0);
  if (!random.chance(sigmoid(logit))) return; // never worked: stays an MQL

  const firstTouch = lead.handedOverAt + random.logNormal(habit.firstTouchHours, 0.9) * HOUR;
  if (firstTouch > now) return;
  setStatus('accepted', lead.handedOverAt + (firstTouch - lead.handedOverAt) * 0.5);
  const premature = random.chance(habit.prematureClose);
  const planned = premature ? random.int(1, 2) : Math.max(2, Math.round(random.normal(habit.touches, 1.5)));
  const thread = `<${lead.externalId.toLowerCase()}.${rep.key}@gleaner-demo.example>`;
  let at = firstTouch;
  let responded = false;
  let touches = 0;
  for (let t = 0; t < planned && at <= now; t++) {
    const kind =
      t === 0
        ? random.weighted([
            ['email', 3],
            ['call', 2],
          ] as const)
        : random.weighted([
            ['email', 5],
            ['call', 4],
            ['meeting', responded ? 3 : 0.3],
          ] as const);
    const key = `${lead.externalId}-${rep.key}-${t}`;
    if (kind === 'email') {
      activities.push({
        kind,
        direction: 'outbound',
        leadExternalId: lead.externalId,
        repKey: rep.key,
        occurredAt: Math.round(at),
        durationSeconds: null,
        disposition: null,
        subject: t === 0 ? `Following up on ${lead.campaign}` : `Re: Following up on ${lead.campaign}`,
        sourceKey: t === 0 ? thread : `<${key.toLowerCase()}@gleaner-demo.example>`,
        inReplyTo: t === 0 ? null : thread,
      });
    } else if (kind === 'call') {
      const connected = random.chance(0.3);
      activities.push({
        kind,
        direction: 'outbound',
        leadExternalId: lead.externalId,
        repKey: rep.key,
        occurredAt: Math.round(at),
        durationSeconds: connected ? random.int(120, 1200) : random.int(0, 40),
        disposition: connected ? 'connected' : random.pick(['no_answer', 'voicemail', 'busy']),
        subject: `Call with ${lead.firstName} ${lead.lastName}`,
        sourceKey: `call-${key}`,
        inReplyTo: null,
      });
      if (connected) responded = true;
    } else {
      activities.push({
        kind,
        direction: 'outbound',
        leadExternalId: lead.externalId,
        repKey: rep.key,
        occurredAt: Math.round(at),
        durationSeconds: random.pick([1800, 2700, 3600]),
        disposition: 'accepted',
        subject: `Gleaner intro: ${lead.company}`,
        sourceKey: `meeting-${key}@gleaner-demo.example`,
        inReplyTo: null,
      });
    }
    touches++;
    if (t === 0) setStatus('working', Math.round(at));
    if (!responded && random.chance(0.22)) {
      responded = true;
      const replyAt = at + random.logNormal(20, 0.8) * HOUR;
      if (replyAt <= now) {
        activities.push({
          kind: 'email',
          direction: 'inbound',
          leadExternalId: lead.externalId,
          repKey: rep.key,
          occurredAt: Math.round(replyAt),
          durationSeconds: null,
          disposition: null,
          subject: `Re: Following up on ${lead.campaign}`,
          sourceKey: `<reply-${key.toLowerCase()}@${lead.companyDomain}>`,
          inReplyTo: thread,
        });
      }
    }
    at += random.logNormal(2.5, 0.6) * DAY;
  }
  // Outcome, once the sequence is over (otherwise the lead is still being worked).
  const sequenceDone = at <= now && age > 14 * DAY;
  if (!sequenceDone || touches === 0) return;
  const closeAt = Math.round(at);
  const winP = sigmoid(-2.2 + 0.05 * (lead.score - 62) + (responded ? 1.6 : 0));
  if (random.chance(winP)) {
    setStatus('qualified', closeAt);
    lead.convertedAt = closeAt;
    const closed = closeAt + random.logNormal(35, 0.5) * DAY;
    const isClosed = closed <= now;
    const won = isClosed ? (random.chance(0.35) ? 1 : 0) : null;
    options.opportunities.push({
      externalId: `OPP-${lead.externalId}`,
      leadExternalId: lead.externalId,
      ownerKey: rep.key,
      name: `${lead.company} — Gleaner`,
      amount: Math.round((lead.employees >= 1000 ? 60_000 : 18_000) * random.logNormal(1, 0.5)),
      stage: won === 1 ? 'Closed Won' : won === 0 ? 'Closed Lost' : 'Discovery',
      openedAt: closeAt,
      closedAt: isClosed ? Math.round(closed) : null,
      won,
    });
  } else if (premature || random.chance(0.5)) {
    setStatus('disqualified', closeAt, random.pick(disqualifyReasons));
  } else {
    setStatus('unresponsive', closeAt, ['no_response', 'no reply after the full sequence']);
  }
}
