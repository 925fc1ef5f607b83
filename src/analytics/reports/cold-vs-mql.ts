import { sortedCopy } from '../radix-sort.ts';
import { inputsOf } from './coverage.ts';
import type { EvaluatedLead, ReportData, ReportResult, ReportSettings } from './report-types.ts';
import { groupBy, groupKey, percentile, round, share } from './stats.ts';

const DAY = 86_400_000;

/** When a lead converted: its conversion time, else its close as qualified, else its opportunity's opening. */
export const qualifiedAt = (l: EvaluatedLead): number | null =>
  l.converted_at ?? (l.status === 'qualified' ? l.closed_at : null);

export const wonAt = (l: EvaluatedLead): number | null => (l.won ? (l.opportunity_closed_at ?? null) : null);

/** Cold/outbound leads (sales created them) against marketing-qualified leads. */
export function coldVsMqlReport(data: ReportData, settings: ReportSettings): ReportResult {
  const cold = new Set(settings.coldSources.map((s) => s.toLowerCase()));
  // Whether a source is cold, once per distinct source.
  const coldSource = new Map<string, boolean>();
  const kindOf = (l: EvaluatedLead): 'cold' | 'mql' | null => {
    if (l.source !== null) {
      let isCold = coldSource.get(l.source);
      if (isCold === undefined) {
        isCold = cold.has(l.source.toLowerCase().trim());
        coldSource.set(l.source, isCold);
      }
      if (isCold) return 'cold';
    }
    return l.handed_over_at !== null ? 'mql' : null;
  };
  const leads = data.leads.filter((l) => kindOf(l) !== null);
  const key = settings.by ?? 'group';
  const rows = groupBy(leads, (l) => `${groupKey(l, settings.by)}\u0000${kindOf(l)}`).map(([k, group]) => {
    const [g, kind] = k.split('\u0000');
    const converted = group.filter((l) => l.converted);
    const won = group.filter((l) => l.won);
    const start = (l: EvaluatedLead) => l.handed_over_at ?? l.created_at;
    // Numeric sorts (radix; the same order as before: no NaN, no -0 among counts and differences).
    const touches = sortedCopy(Float64Array.from(converted, (l) => l.touches));
    const toQualified = sortedCopy(
      Float64Array.from(
        converted
          .map((l) => qualifiedAt(l))
          .map((t, i) => (t === null ? null : (t - start(converted[i]!)) / DAY))
          .filter((x): x is number => x !== null),
      ),
    );
    const toWon = sortedCopy(
      Float64Array.from(
        won
          .map((l, i) => {
            const t = wonAt(l);
            return t === null ? null : (t - start(won[i]!)) / DAY;
          })
          .filter((x): x is number => x !== null),
      ),
    );
    const mean = (xs: Float64Array) =>
      xs.length ? round(xs.reduce((s, x) => s + x, 0) / xs.length, 2) : null;
    return {
      [key]: g ?? '',
      kind: kind ?? '',
      leads: group.length,
      converted: converted.length,
      conversion_rate: share(converted.length, group.length),
      won: won.length,
      won_rate: share(won.length, group.length),
      touches_to_conversion_mean: mean(touches),
      touches_to_conversion_median: percentile(touches, 0.5),
      days_to_qualified_median: round(percentile(toQualified, 0.5), 2),
      days_to_qualified_mean: mean(toQualified),
      days_to_won_median: round(percentile(toWon, 0.5), 2),
      days_to_won_mean: mean(toWon),
    };
  });
  return {
    report: 'cold-vs-mql',
    title: 'Cold/outbound vs marketing-qualified leads',
    definitions: [
      `cold: source in [${settings.coldSources.join(', ')}] (sales created the lead); mql: any other handed-over lead.`,
      'converted: qualified, a conversion time, or an opportunity of its own; won: its opportunity was won.',
      'touches to conversion: lead_stats touches of converted leads (all touches on the lead record).',
      'cycle: hand-over (creation for cold leads without one) → conversion (days_to_qualified) and → won deal closed (days_to_won).',
    ],
    inputs: { ...inputsOf(data, settings), cold_sources: settings.coldSources.join(', ') },
    tables: [{ name: 'cold-vs-mql', title: 'Cold vs MQL', rows }],
    notes: [],
  };
}
