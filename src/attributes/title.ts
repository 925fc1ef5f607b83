import { z } from 'zod';

export const seniorityLevels = [
  'c_level',
  'vp',
  'director',
  'manager',
  'individual_contributor',
  'unknown',
] as const;
export const senioritySchema = z.enum(seniorityLevels);
export type Seniority = z.infer<typeof senioritySchema>;

export const jobFunctions = [
  'executive',
  'sales',
  'marketing',
  'customer_success',
  'it_engineering',
  'product',
  'finance',
  'operations',
  'hr',
  'legal',
  'other',
] as const;
export const jobFunctionSchema = z.enum(jobFunctions);
export type JobFunction = z.infer<typeof jobFunctionSchema>;

export type TitleClass = {
  seniority: Seniority;
  function: JobFunction;
  /** The rule that decided the seniority, for "why" in reports and tests. */
  rule: string;
};

/** Rank for "take the most senior": higher is more senior. */
export const seniorityRank: Record<Seniority, number> = {
  c_level: 5,
  vp: 4,
  director: 3,
  manager: 2,
  individual_contributor: 1,
  unknown: 0,
};

/** Lower-case, accents removed, punctuation to spaces, common abbreviations spelled out. */
export function normaliseTitle(title: string): string {
  let s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase();
  s = s.replace(/\bc\s*-\s*level\b/g, 'clevel').replace(/\bco\s*-\s*founder/g, 'cofounder');
  s = s.replace(/[^a-z0-9&]+/g, ' ').replace(/&/g, ' & ');
  for (const [pattern, replacement] of abbreviations) s = s.replace(pattern, replacement);
  return ` ${s.replace(/\s+/g, ' ').trim()} `;
}

const abbreviations: Array<[RegExp, string]> = [
  [/\bsr\b/g, 'senior'],
  [/\bjr\b/g, 'junior'],
  [/\bmgr\b/g, 'manager'],
  [/\bmngr\b/g, 'manager'],
  [/\bdir\b/g, 'director'],
  [/\bdirs\b/g, 'director'],
  [/\bexec\b/g, 'executive'],
  [/\basst\b/g, 'assistant'],
  [/\bassoc\b/g, 'associate'],
  [/\bacct\b/g, 'account'],
  [/\bmktg\b/g, 'marketing'],
  [/\bengr?\b/g, 'engineer'],
  [/\bdev\b/g, 'developer'],
  [/\bops\b/g, 'operations'],
  [/\bhr\b/g, 'human resources'],
  [/\bbiz dev\b/g, 'business development'],
  [/\bbd\b/g, 'business development'],
  [/\bgm\b/g, 'general manager'],
  [/\bvp\b/g, 'vice president'],
  [/\bv p\b/g, 'vice president'],
  [/\b(svp|evp|avp|rvp|gvp)\b/g, '$1 vice president'],
  [/\bvice pres\b/g, 'vice president'],
  [/\bpres\b/g, 'president'],
];

type Rule = { name: string; seniority: Seniority; pattern: RegExp };

// Ordered from most to least senior; every matching rule counts and the most senior wins, so
// "CEO & Founder" and "VP Sales / Marketing Manager" resolve to the senior role.
const seniorityRules: Rule[] = [
  {
    name: 'c-suite acronym',
    seniority: 'c_level',
    pattern: /\b(ceo|cfo|cto|coo|cmo|cio|cro|cso|cpo|cdo|cco|cxo|chro|ciso|clo|cao|cno|cbo|pdg|clevel)\b/,
  },
  { name: 'chief … officer', seniority: 'c_level', pattern: /\bchief\b(\s\w+){0,4}\s(officer|executive)\b/ },
  {
    name: 'president',
    seniority: 'c_level',
    pattern: /(?<!\bvice\s)(?<!\bvice)\b(president|presidente|presidenta|prasident|prezes)\b/,
  },
  {
    name: 'founder / owner',
    seniority: 'c_level',
    pattern:
      /\b(founder|cofounder|founding partner|owner|proprietor|inhaber|inhaberin|grunder|grunderin|fondateur|fondatrice|fundador|fundadora|fondatore|titolare|dueno|proprietaire|self employed)\b/,
  },
  {
    name: 'board',
    seniority: 'c_level',
    pattern:
      /\b(chairman|chairwoman|chairperson|chair of the board|board chair|vorstand|vorstandsvorsitzender|vorstandsvorsitzende)\b/,
  },
  {
    name: 'managing director',
    seniority: 'c_level',
    pattern:
      /\b(managing director|managing partner|geschaftsfuhrer|geschaftsfuhrerin|geschaeftsfuehrer|amministratore delegato|consejero delegado|directeur general|directrice generale|director general|directora general|direttore generale|diretor geral|diretor presidente|gerente general|director ejecutivo|directora ejecutiva|diretor executivo|chief executive)\b/,
  },
  {
    name: 'vice president',
    seniority: 'vp',
    pattern:
      /\b(vice president|vicepresident|vice presidente|vicepresidente|vicepresidenta|vice presidente|vizeprasident|vice chair|vice chairman|svp|evp|avp|rvp|gvp)\b/,
  },
  {
    name: 'executive director / partner',
    seniority: 'vp',
    pattern:
      /\b(executive director|partner|bereichsleiter|bereichsleiterin|direktor der|generalbevollmachtigter|prokurist)\b/,
  },
  { name: 'head of', seniority: 'director', pattern: /\bhead (of|de|du|des)\b|\b\w+ head$|\bhead\s*$/ },
  {
    name: 'director',
    seniority: 'director',
    pattern:
      /\b(director|directora|directeur|directrice|direktor|direktorin|diretor|diretora|direttore|direttrice|dyrektor|directorate|abteilungsleiter|abteilungsleiterin|hauptabteilungsleiter|leiter|leiterin|superintendent|dean|commissioner|treasurer|chief|postmaster|administrator of|provost)\b|\bprincipal $/,
  },
  {
    name: 'manager',
    seniority: 'manager',
    pattern:
      /\b(manager|managers|gerente|gerant|gerante|jefe|jefa|responsable|supervisor|supervisora|superviseur|supervisore|foreman|forewoman|foreperson|team lead|team leader|teamleiter|teamleiterin|gruppenleiter|gruppenleiterin|capo|coordinador general|encargado|encargada|controller|comptroller|vice principal|head \w+|chef de|chefe|lead|leader|lieutenant|captain|marshal|boss|warden|innkeeper)\b/,
  },
];

// A title without any management marker is an individual contributor when it names an occupation:
// a known role noun, or a word with an occupational ending (engineer, analyst, technician …).
const roleNouns =
  /\b(engineer|analyst|specialist|consultant|associate|assistant|representative|rep|agent|clerk|nurse|teacher|technician|developer|designer|architect|scientist|professor|instructor|officer|advisor|adviser|coordinator|administrator|accountant|auditor|attorney|lawyer|counsel|paralegal|intern|trainee|apprentice|student|aide|attendant|operator|worker|driver|mechanic|machinist|inspector|examiner|investigator|programmer|editor|writer|artist|therapist|pharmacist|physician|surgeon|doctor|dentist|veterinarian|pilot|chef|cook|guard|cashier|teller|helper|laborer|labourer|planner|buyer|recruiter|generalist|executive|staff|member|fellow|expert|strategist|evangelist|ambassador|sdr|bdr|ae|tech|model|coach|trainer|tutor|librarian|curator|therapist|practitioner|host|hostess|server|bartender|barista|housekeeper|janitor|custodian|caretaker|nanny|midwife|paramedic|firefighter|police|sheriff|soldier|sailor|steward|stewardess|courier|dispatcher|scheduler|secretary|receptionist|bookkeeper|estimator|appraiser|underwriter|adjuster|broker|banker|trader|economist|statistician|actuary|chemist|biologist|physicist|geologist|surveyor|drafter|welder|plumber|electrician|carpenter|mason|roofer|painter|glazier|tailor|baker|butcher|farmer|rancher|gardener|landscaper|logger|miner|fisher|hunter|trapper|ingenieur|ingenieurin|ingeniero|ingeniera|engenheiro|ingegnere|entwickler|entwicklerin|berater|beraterin|consultor|consultora|consulente|analista|tecnico|tecnica|technicien|vendedor|vendedora|verkaufer|commercial|comercial|commerciale|sachbearbeiter|mitarbeiter|mitarbeiterin|referent|referentin|assistent|assistentin|asistente|assistente|charge|chargee|conseiller|conseillere|ejecutivo|ejecutiva|executivo|executiva|empleado|empleada|funcionario|abogado|abogada|avocat|contador|contadora|comptable|enfermera|enfermero|profesor|profesora|lehrer|lehrerin|enseignant|medico|arzt|arztin|professional|person|concierge|judge|magistrate|priest|rabbi|minister|pastor|actress|comic|ballerina|poet|stagehand|liaison|scribe|orderly|bailiff|constable|champion|advocate|registrar|umpire|official|stagiaire|praktikant|praktikantin|becario|becaria|estagiario|tirocinante|auszubildender|azubi)\b/;
const occupationalEnding =
  /\b[a-z]{3,}(er|or|ist|ian|ant|ent|eer|ive|ee|man|woman|person|wright|smith|ary|ier|yst|ologist|ographer|eur|euse|ista|ero|era|eiro|eira|tore|trice|ente|ante|ador|adora)\b/;
const notATitle =
  /^ (n a|na|none|null|unknown|test|tbd|x+|\W*|other|retired|unemployed|not employed|student of) $/;

type FunctionRule = { fn: JobFunction; pattern: RegExp };

// First match wins; specific phrases come before the words they contain ("product marketing" is marketing).
const functionRules: FunctionRule[] = [
  {
    fn: 'marketing',
    pattern:
      /\b(product marketing|marketing|mercadotecnia|mercadeo|brand|demand gen\w*|growth|communications?|public relations|pr|advertising|content|seo|sem|social media|campaign|cmo|events?|kommunikation|werbung)\b/,
  },
  {
    fn: 'sales',
    pattern:
      /\b(sales|sale|selling|account executive|account manager|key account|business development|bdr|sdr|ae|revenue|cro|commercial|comercial|commerciale|vertrieb|verkauf|verkaufer|ventes|ventas|vendas|vendite|vendedor|vendedora|partnerships?|channel|territory|inside sales)\b/,
  },
  {
    fn: 'customer_success',
    pattern:
      /\b(customer success|customer service|customer experience|customer care|client services?|client success|support|kundenservice|kundenbetreuung|service client|atencion al cliente|onboarding|implementation)\b/,
  },
  {
    fn: 'hr',
    pattern:
      /\b(human resources|people|talent|recruit\w*|personnel|payroll|chro|hr|ressources humaines|recursos humanos|risorse umane|personal|personalleiter|benefits|compensation|training)\b/,
  },
  {
    fn: 'legal',
    pattern:
      /\b(legal|counsel|attorney|lawyer|compliance|paralegal|clo|juridique|juridico|juridica|recht|rechtsanwalt|abogado|abogada|avocat|privacy|contracts?)\b/,
  },
  {
    fn: 'finance',
    pattern:
      /\b(finance|financial|cfo|accounting|accountant|accounts payable|accounts receivable|controller|comptroller|treasurer|treasury|audit\w*|tax|bookkeep\w*|investment|investor relations|credit|fp a|finanzen|finanzas|financeiro|finanziario|contabilidad|comptable|contador|buchhaltung|banking|budget)\b/,
  },
  {
    fn: 'product',
    pattern: /\b(product|products|produkt|produit|producto|produto|ux|ui|user experience|design|designer)\b/,
  },
  {
    fn: 'it_engineering',
    pattern:
      /\b(engineer\w*|developer|development|software|it|information technology|information systems|information security|technology|technical|data|devops|network|systems|cto|cio|ciso|programmer|programming|computer|cloud|infrastructure|architect|cyber\w*|security|database|web|digital|informatique|informatica|ti|technik|entwicklung|entwickler|ingenieur|ingeniero|engenheiro|ingegnere|r d|research|scientist|sistemas)\b/,
  },
  {
    fn: 'operations',
    pattern:
      /\b(operations|operational|coo|supply chain|logistics|procurement|purchasing|buyer|manufacturing|production|plant|facilities|facility|quality|maintenance|warehouse|fleet|inventory|betrieb|operaciones|operacoes|logistik|logistica|einkauf|achats|compras|produktion|project|program|programme|administration|administrative|office)\b/,
  },
  {
    fn: 'executive',
    pattern:
      /\b(ceo|(?<!vice )president|founder|cofounder|owner|managing director|general manager|geschaftsfuhrer|chairman|chairwoman|executive director|pdg|directeur general|director general|gerente general|amministratore delegato|chief executive|inhaber|managing partner|founding partner|clevel|cxo)\b/,
  },
];

// "Assistant to the CEO" is an assistant: the part after "to the" names someone else.
const toSomeoneElse =
  / (to|for) (the )?(ceo|cfo|coo|cto|president|vice president|chairman|chief|managing director|director|founder|owner|board|executive|general manager|head)\b.*$/;

/** Classifies a free-text job title into seniority and function (pure; a table of rules). */
export function classifyTitle(title: string | null | undefined): TitleClass {
  if (!title?.trim()) return { seniority: 'unknown', function: 'other', rule: 'empty' };
  const text = normaliseTitle(title).replace(toSomeoneElse, ' ');
  if (notATitle.test(text)) return { seniority: 'unknown', function: 'other', rule: 'not a title' };
  let best: { seniority: Seniority; rule: string } | undefined;
  for (const rule of seniorityRules) {
    if (!rule.pattern.test(text)) continue;
    const demoted = demote(text, rule);
    const seniority = demoted ?? rule.seniority;
    if (!best || seniorityRank[seniority] > seniorityRank[best.seniority]) {
      best = { seniority, rule: demoted ? `${rule.name} (demoted: ${demotedWhy(text)})` : rule.name };
    }
  }
  const fn = functionOf(text);
  if (best && best.seniority !== 'individual_contributor') {
    // C-level leaders without a named function run the company.
    const fnFinal = fn === 'other' && best.seniority === 'c_level' ? 'executive' : fn;
    return { seniority: best.seniority, function: fnFinal, rule: best.rule };
  }
  if (best) return { seniority: best.seniority, function: fn, rule: best.rule };
  if (roleNouns.test(text) || occupationalEnding.test(text)) {
    return { seniority: 'individual_contributor', function: fn, rule: 'occupation word' };
  }
  return { seniority: 'unknown', function: fn, rule: 'no rule matched' };
}

/** The function named first in the title ("VP Sales / Marketing" is sales); phrases beat their words. */
function functionOf(text: string): JobFunction {
  let bestIndex = Number.POSITIVE_INFINITY;
  let best: JobFunction = 'other';
  for (const rule of functionRules) {
    const match = rule.pattern.exec(text);
    if (match && match.index < bestIndex) {
      bestIndex = match.index;
      best = rule.fn;
    }
  }
  return best;
}

const demotedWhy = (text: string): string =>
  /\bowner\b/.test(text)
    ? 'role owner'
    : /\bpartner\b/.test(text)
      ? 'partner-facing role'
      : 'assistant/associate';

// "Assistant Manager", "Assistant/Associate Director", "Product Owner" sit a level below the role word.
function demote(text: string, rule: Rule): Seniority | null {
  if (
    rule.name === 'founder / owner' &&
    /\b(product|process|business process|system|service|data) owner\b/.test(text)
  )
    return 'individual_contributor';
  if (
    rule.seniority === 'director' &&
    /\b(assistant|associate|asst) (director|directeur|director of)\b/.test(text)
  )
    return 'manager';
  if (rule.seniority === 'manager' && /\bassistant (manager|store manager|general manager)\b/.test(text))
    return 'manager';
  if (
    rule.name === 'executive director / partner' &&
    /\b(partner) (manager|marketing|sales|account|success|program|development|relations|channel|enablement|engineer|support)\b|\b(business|sales|channel|alliance|trade) partner\b/.test(
      text,
    )
  )
    return 'individual_contributor';
  return null;
}
