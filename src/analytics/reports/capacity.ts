import { inputsOf } from './coverage.ts';
import type { EvaluatedLead, ReportData, ReportResult, ReportSettings } from './report-types.ts';
import { groupBy, round } from './stats.ts';

/**
 * Capacity per rep (or team) and month of hand-over: effort spent on the leads assigned, effort
 * needed to work them all to the SLA (average effort of leads that met it, per policy, × leads),
 * hours available (capacity × follow-up share) and the overload ratio.
 */
export function capacityReport(data: ReportData, settings: ReportSettings): ReportResult {
  const ignoredBy = settings.by !== undefined && settings.by !== 'rep' && settings.by !== 'team';
  const mqls = data.leads.filter((l) => l.mql && l.owner_rep_id !== null);

  // Effort that working a lead to the SLA takes, per policy: the mean over leads that met their attempts.
  const metByPolicy = new Map<string, { minutes: number; n: number }>();
  const metAll = { minutes: 0, n: 0 };
  for (const l of mqls) {
    if (l.state !== 'met' || !l.attempts_met) continue;
    let m = metByPolicy.get(l.policy);
    if (!m) {
      m = { minutes: 0, n: 0 };
      metByPolicy.set(l.policy, m);
    }
    m.minutes += l.effort_minutes;
    m.n += 1;
    metAll.minutes += l.effort_minutes;
    metAll.n += 1;
  }
  const overallAvg = metAll.n ? metAll.minutes / metAll.n : 0;
  const avgFor = (policy: string): number => {
    const m = metByPolicy.get(policy);
    return m && m.n > 0 ? m.minutes / m.n : overallAvg;
  };

  // A rep's fields are the same on each of their leads: read them from the rep's first lead, and build
  // the rep part of the group keys once per rep.
  const repCapacity = new Map<number, { hours: number; team: string; rep: string; repKey: string }>();
  for (const l of mqls)
    if (!repCapacity.has(l.owner_rep_id!))
      repCapacity.set(l.owner_rep_id!, {
        hours: l.rep_capacity_hours ?? 160,
        team: l.team_name ?? '(no team)',
        rep: l.rep_name ?? String(l.owner_rep_id),
        repKey: `${l.team_name ?? '(no team)'}\u0000${l.rep_name ?? l.owner_rep_id}\u0000`,
      });

  const summarize = (leads: EvaluatedLead[], availableHours: number) => {
    const spent = leads.reduce((s, l) => s + l.effort_minutes, 0) / 60;
    const needed = leads.reduce((s, l) => s + avgFor(l.policy), 0) / 60;
    const available = availableHours * settings.followUpShare;
    return {
      leads_assigned: leads.length,
      effort_spent_h: round(spent, 2),
      effort_needed_h: round(needed, 2),
      hours_available: round(available, 2),
      overload: available > 0 ? round(needed / available, 3) : null,
    };
  };

  const monthOf = (l: EvaluatedLead) => l.month;
  const repRows = groupBy(mqls, (l) => repCapacity.get(l.owner_rep_id!)!.repKey + monthOf(l)).map(
    ([, leads]) => {
      const cap = repCapacity.get(leads[0]!.owner_rep_id!)!;
      return { team: cap.team, rep: cap.rep, month: monthOf(leads[0]!), ...summarize(leads, cap.hours) };
    },
  );
  const teamRows = groupBy(mqls, (l) => `${repCapacity.get(l.owner_rep_id!)!.team}\u0000${monthOf(l)}`).map(
    ([, leads]) => {
      const reps = new Set(leads.map((l) => l.owner_rep_id!));
      const hoursAvailable = [...reps].reduce((s, id) => s + repCapacity.get(id)!.hours, 0);
      return {
        team: repCapacity.get(leads[0]!.owner_rep_id!)!.team,
        month: monthOf(leads[0]!),
        reps: reps.size,
        ...summarize(leads, hoursAvailable),
      };
    },
  );
  const notes = teamRows
    .filter((r) => r.overload !== null && r.overload > 1)
    .map(
      (r) =>
        `${r.month}: marketing sent team ${r.team} ${r.leads_assigned} leads needing ${r.effort_needed_h} h of follow-up, but it has ${r.hours_available} h — more than the team can work (overload ${r.overload}).`,
    );
  if (ignoredBy)
    notes.push(`capacity is always per rep (or team) and month: --by ${settings.by} was ignored.`);
  if (metAll.n === 0)
    notes.push('No lead met its SLA attempts yet: effort needed cannot be estimated (shown as 0).');
  return {
    report: 'capacity',
    title: 'Capacity: effort needed vs hours available',
    definitions: [
      'leads assigned: MQLs handed over in the month (UTC) and owned by the rep.',
      'effort spent: rep minutes captured on those leads (lead_stats.effort_minutes), in hours, whenever spent.',
      "effort needed: for each lead, the average effort of leads under the same policy that met the SLA's attempts (all policies' average when a policy has none), summed.",
      `hours available: the rep's monthly capacity (default 160 h) × follow-up share ${settings.followUpShare}; a team's is the sum over its reps with leads that month.`,
      'overload: effort needed ÷ hours available (above 1: more leads than can be worked to the SLA).',
    ],
    inputs: {
      ...inputsOf(data, settings),
      follow_up_share: settings.followUpShare,
      leads_that_met_sla: metAll.n,
      avg_effort_met_min_overall: round(overallAvg, 2),
      ...Object.fromEntries(
        [...metByPolicy.entries()]
          .sort()
          .map(([p, m]) => [`avg_effort_met_min[${p}]`, round(m.minutes / m.n, 2)]),
      ),
    },
    tables:
      settings.by === 'team'
        ? [{ name: 'team', title: 'Team totals per month', rows: teamRows }]
        : [
            { name: 'rep', title: 'Per rep and month', rows: repRows },
            { name: 'team', title: 'Team totals per month', rows: teamRows },
          ],
    notes,
  };
}
