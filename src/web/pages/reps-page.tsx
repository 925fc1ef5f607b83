import type { Me } from '../../server/api/auth.types.ts';
import { PeriodPicker, usePeriod } from '../components/period.tsx';
import { ReportCard } from '../components/report-card.tsx';

/** Per rep: capacity (effort needed vs hours available), touches, response time, acceptance, cherry-pick verdict. */
export function RepsPage(props: { me: Me }) {
  const [period, setPeriod] = usePeriod();
  return (
    <div className="page">
      <header className="page-head">
        <h1>Reps</h1>
        <p className="muted">
          {props.me.role === 'manager' ? 'Your team: ' : ''}who has more leads than hours, who answers slowly,
          who picks.
        </p>
        <PeriodPicker period={period} onChange={setPeriod} />
      </header>
      <div className="grid">
        <ReportCard
          name="capacity"
          title="Capacity: effort needed vs hours available"
          note="Bars: the latest complete month in the period. Overload above 1 means more follow-up than hours."
          params={{ by: 'rep', ...period }}
          chart={{
            kind: 'bar',
            x: 'rep',
            latest: 'month',
            series: ['effort_needed_h', 'hours_available', 'effort_spent_h'],
          }}
          testId="reps-capacity"
        />
        <ReportCard
          name="response"
          title="Touches and response time"
          params={{ by: 'rep', ...period }}
          chart={{ kind: 'bar', series: ['ttft_median_h', 'touches_mean'] }}
          testId="reps-response"
        />
        <ReportCard
          name="acceptance"
          title="Acceptance"
          params={{ by: 'rep', ...period }}
          testId="reps-acceptance"
        />
        <ReportCard
          name="cherry-pick"
          title="Cherry-pick verdict"
          params={{ by: 'rep', ...period }}
          testId="reps-cherry-pick"
        />
      </div>
    </div>
  );
}
