import { companyTier, type TierBands } from '../../attributes/company.ts';
import type { CherryPickLeadRow } from './report.ts';

/**
 * The handed-over leads as the cherry-pick report reads them, as columns in lead-id order: numbers in
 * typed arrays (NaN for null), text as codes into `strings` (-1 for null), so that titles and companies
 * are judged once per distinct value and a million leads need no object each.
 */
export type CherryPickColumns = {
  n: number;
  /** code → string, shared by every text column. */
  strings: string[];
  leadId: Float64Array;
  score: Float64Array;
  title: Int32Array;
  company: Int32Array;
  companyDomain: Int32Array;
  /** Company tier code (index into companyTiers) under the report's tier bands. */
  tier: Uint8Array;
  industry: Int32Array;
  repId: Float64Array;
  repName: Int32Array;
  teamId: Float64Array;
  teamName: Int32Array;
  source: Int32Array;
  handedOverAt: Float64Array;
  firstTouchAt: Float64Array;
  /** Met the SLA's attempts, or first touch within the SLA: 1 or 0. */
  worked: Uint8Array;
  /** External ids; absent when the store reader leaves them for the few listed leads. */
  externalId?: readonly string[];
};

/** A string dictionary: `code(s)` gives the code of a string (-1 for null), adding it on first sight. */
export function stringCodes(strings: string[] = []) {
  const index = new Map<string, number>(strings.map((s, i) => [s, i]));
  return {
    strings,
    code(s: string | null | undefined): number {
      if (s === null || s === undefined) return -1;
      let c = index.get(s);
      if (c === undefined) {
        c = strings.length;
        strings.push(s);
        index.set(s, c);
      }
      return c;
    },
  };
}

const nan = (x: number | null): number => (x === null ? Number.NaN : x);

/** companyTier's answer as a code (index into companyTiers: enterprise, mid_market, smb, unknown). */
export const tierCode = (options: Parameters<typeof companyTier>[0]): number => {
  const t = companyTier(options);
  return t === 'enterprise' ? 0 : t === 'mid_market' ? 1 : t === 'smb' ? 2 : 3;
};

/** Rows (tests, callers that already hold rows) as columns, in the rows' order; tiers under `bands`. */
export function columnsFromRows(rows: readonly CherryPickLeadRow[], bands: TierBands): CherryPickColumns {
  const n = rows.length;
  const dict = stringCodes();
  const cols: CherryPickColumns = {
    n,
    strings: dict.strings,
    leadId: new Float64Array(n),
    score: new Float64Array(n),
    title: new Int32Array(n),
    company: new Int32Array(n),
    companyDomain: new Int32Array(n),
    tier: new Uint8Array(n),
    industry: new Int32Array(n),
    repId: new Float64Array(n),
    repName: new Int32Array(n),
    teamId: new Float64Array(n),
    teamName: new Int32Array(n),
    source: new Int32Array(n),
    handedOverAt: new Float64Array(n),
    firstTouchAt: new Float64Array(n),
    worked: new Uint8Array(n),
    externalId: rows.map((r) => r.externalId),
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    cols.leadId[i] = r.leadId;
    // A non-finite score (the row type allows any number) is read as no score, as the report does.
    cols.score[i] = r.score !== null && Number.isFinite(r.score) ? r.score : Number.NaN;
    cols.title[i] = dict.code(r.title);
    cols.company[i] = dict.code(r.company);
    cols.companyDomain[i] = dict.code(r.companyDomain);
    cols.tier[i] = tierCode({ employees: r.employees, annualRevenue: r.annualRevenue, bands });
    cols.industry[i] = dict.code(r.industry);
    cols.repId[i] = nan(r.repId);
    cols.repName[i] = dict.code(r.repName);
    cols.teamId[i] = nan(r.teamId);
    cols.teamName[i] = dict.code(r.teamName);
    cols.source[i] = dict.code(r.source);
    cols.handedOverAt[i] = r.handedOverAt;
    cols.firstTouchAt[i] = nan(r.firstTouchAt);
    cols.worked[i] = r.worked ? 1 : 0;
  }
  return cols;
}

/**
 * Column sets of consecutive lead-id ranges as one (the same leads in the same order), each part's
 * text codes carried over into the first part's dictionary: the columns one read of the whole range
 * gives, up to the numbering of the strings.
 */
export function concatColumns(parts: readonly CherryPickColumns[]): CherryPickColumns {
  const [first, ...rest] = parts;
  if (!first) throw new Error('concatColumns needs at least one part');
  if (rest.length === 0) return first;
  const dict = stringCodes([...first.strings]);
  const recode = parts.map((p) => Int32Array.from(p.strings, (s) => dict.code(s)));
  const n = parts.reduce((sum, p) => sum + p.n, 0);
  const numbers = <T extends Float64Array | Uint8Array>(
    pick: (p: CherryPickColumns) => T,
    make: (n: number) => T,
  ): T => {
    const out = make(n);
    let at = 0;
    for (const p of parts) {
      out.set(pick(p), at);
      at += p.n;
    }
    return out;
  };
  const codes = (pick: (p: CherryPickColumns) => Int32Array): Int32Array => {
    const out = new Int32Array(n);
    let at = 0;
    for (let k = 0; k < parts.length; k++) {
      const values = pick(parts[k]!);
      const map = recode[k]!;
      // The first part's codes are the dictionary's own.
      if (k === 0) out.set(values, 0);
      else
        for (let i = 0; i < values.length; i++) {
          const c = values[i]!;
          out[at + i] = c < 0 ? c : map[c]!;
        }
      at += values.length;
    }
    return out;
  };
  const f64 = (k: number) => new Float64Array(k);
  const u8 = (k: number) => new Uint8Array(k);
  const externalIds = parts.every((p) => p.externalId) ? parts.flatMap((p) => p.externalId!) : undefined;
  return {
    n,
    strings: dict.strings,
    leadId: numbers((p) => p.leadId, f64),
    score: numbers((p) => p.score, f64),
    title: codes((p) => p.title),
    company: codes((p) => p.company),
    companyDomain: codes((p) => p.companyDomain),
    tier: numbers((p) => p.tier, u8),
    industry: codes((p) => p.industry),
    repId: numbers((p) => p.repId, f64),
    repName: codes((p) => p.repName),
    teamId: numbers((p) => p.teamId, f64),
    teamName: codes((p) => p.teamName),
    source: codes((p) => p.source),
    handedOverAt: numbers((p) => p.handedOverAt, f64),
    firstTouchAt: numbers((p) => p.firstTouchAt, f64),
    worked: numbers((p) => p.worked, u8),
    ...(externalIds ? { externalId: externalIds } : {}),
  };
}
