import { useState } from 'react';

export type Period = { since: string; until: string };

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The reporting period every page shares (ISO dates, inclusive), remembered for the tab. */
export function usePeriod(): [Period, (p: Period) => void] {
  const [period, setPeriod] = useState<Period>(() => {
    const saved = sessionStorage.getItem('gleaner:period');
    if (saved) {
      try {
        return JSON.parse(saved) as Period;
      } catch {
        /* fall through to the default */
      }
    }
    return { since: iso(Date.now() - 90 * 86_400_000), until: iso(Date.now() + 86_400_000) };
  });
  const update = (p: Period) => {
    sessionStorage.setItem('gleaner:period', JSON.stringify(p));
    setPeriod(p);
  };
  return [period, update];
}

export function PeriodPicker(props: { period: Period; onChange: (p: Period) => void }) {
  return (
    <fieldset className="filters" aria-label="Period">
      <label>
        From
        <input
          type="date"
          value={props.period.since}
          onChange={(e) => e.target.value && props.onChange({ ...props.period, since: e.target.value })}
        />
      </label>
      <label>
        To
        <input
          type="date"
          value={props.period.until}
          onChange={(e) => e.target.value && props.onChange({ ...props.period, until: e.target.value })}
        />
      </label>
    </fieldset>
  );
}
