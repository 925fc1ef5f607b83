import type { Me } from '../../server/api/auth.types.ts';
import { PeriodPicker, usePeriod } from '../components/period.tsx';
import { ReportCard } from '../components/report-card.tsx';

/** Coverage over time, SLA compliance, time to first touch, hand-over vs capacity, revenue left on the vine. */
export function OverviewPage(props: { me: Me }) {
  const [period, setPeriod] = usePeriod();
  const scope = props.me.role === 'manager' ? 'your team' : 'the workspace';
  return (
    <div className="page">
      <header className="page-head">
        <h1>Overview</h1>
        <p className="muted">Were the leads handed to sales really worked? Numbers for {scope}.</p>
        <PeriodPicker period={period} onChange={setPeriod} />
      </header>
      <div className="grid">
        <ReportCard
          name="coverage"
          title="Coverage over time"
          note="Properly worked, short of the SLA, never worked and closed prematurely, per week of hand-over."
          params={{ by: 'week', ...period }}
          chart={{
            kind: 'stacked',
            series: [
              'properly_followed_up',
              'in_progress',
              'worked_but_short',
              'never_worked',
              'closed_prematurely',
            ],
          }}
          testId="overview-coverage"
        />
        <ReportCard
          name="coverage"
          title="Coverage and SLA compliance by source"
          params={{ by: 'source', ...period }}
          chart={{
            kind: 'stacked',
            series: ['properly_followed_up', 'worked_but_short', 'never_worked', 'closed_prematurely'],
          }}
          testId="overview-coverage-source"
        />
        <ReportCard
          name="response"
          title="Time to first touch and SLA compliance"
          note="Hours from hand-over to the first touch (median, p75, p90); within_sla_pct is the share touched by the SLA's deadline."
          params={{ by: 'week', ...period }}
          chart={{ kind: 'line', series: ['ttft_median_h', 'ttft_p75_h', 'ttft_p90_h'] }}
          testId="overview-response"
        />
        <ReportCard
          name="capacity"
          title="Leads handed over vs capacity"
          params={{ by: 'team', ...period }}
          chart={{
            kind: 'bar',
            x: ['team', 'month'],
            series: ['effort_needed_h', 'hours_available', 'effort_spent_h'],
          }}
          testId="overview-capacity"
        />
        <ReportCard
          name="acceptance"
          title="Lead acceptance"
          params={{ by: 'source', ...period }}
          testId="overview-acceptance"
        />
        <ReportCard
          name="gap"
          title="Revenue left on the vine"
          note="Leads never properly worked, valued at what comparable worked leads became."
          params={{ by: 'source', ...period }}
          chart={{ kind: 'bar', series: ['expected_revenue'] }}
          testId="overview-gap"
          tableLimit={15}
        />
      </div>
    </div>
  );
}
