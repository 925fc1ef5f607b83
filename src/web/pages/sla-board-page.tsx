import { useEffect, useMemo, useState } from 'react';
import type { Me } from '../../server/api/auth.types.ts';
import type { SlaBoard, SlaBoardItem } from '../../server/api/leads.types.ts';
import type { RepList } from '../../server/api/users.types.ts';
import { withQuery } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { DataState } from '../components/data-state.tsx';
import { type Column, Table } from '../components/table.tsx';
import { formatDateTime, formatRelative } from '../format.ts';
import { navigate } from '../router.ts';

const ruleLabels: Record<string, string> = {
  first_touch: 'first touch',
  attempts: 'attempts',
  max_gap: 'next touch',
};
const ruleLabel = (rule: string | null): string => (rule ? (ruleLabels[rule] ?? rule) : 'deadline');

const stateLabels = { both: 'at risk and breached', at_risk: 'at risk', breached: 'breached' } as const;
type StateFilter = keyof typeof stateLabels;

/** Open leads at risk (soonest deadline first), then breached; filterable by state, rep, team and source. */
export function SlaBoardPage(props: { me: Me }) {
  const [state, setState] = useState<StateFilter>('both');
  const [rep, setRep] = useState('');
  const [team, setTeam] = useState('');
  const [source, setSource] = useState('');
  const [page, setPage] = useState(1);
  const canFilterPeople = props.me.role !== 'rep';
  const reps = useApi<RepList>(canFilterPeople ? '/api/reps' : null);
  const teams = useMemo(() => {
    if (reps.status !== 'ready') return [];
    const seen = new Map<number, string>();
    for (const r of reps.data.reps)
      if (r.teamId !== null) seen.set(r.teamId, r.teamName ?? `team ${r.teamId}`);
    return [...seen];
  }, [reps]);
  const path = withQuery('/api/sla-board', { state, owner: rep, team, source, page, pageSize: 50 });
  const board = useApi<SlaBoard>(path);
  // The sources on offer are those of the open leads in view (kept while a new page loads).
  const [sources, setSources] = useState<string[]>([]);
  useEffect(() => {
    if (board.status === 'ready') setSources(board.data.sources);
  }, [board]);
  // A new filter starts again at page 1.
  const pick = (set: () => void) => {
    set();
    setPage(1);
  };
  const columns: Column<SlaBoardItem>[] = [
    {
      key: 'lead',
      label: 'Lead',
      render: ({ lead: l }) => (
        <a href={`#/leads/${l.id}`} onClick={(e) => e.stopPropagation()}>
          {l.name ?? l.externalId}
        </a>
      ),
    },
    { key: 'company', label: 'Company', secondary: true, render: ({ lead: l }) => l.company ?? '—' },
    { key: 'score', label: 'Score', numeric: true, secondary: true, render: ({ lead: l }) => l.score ?? '—' },
    { key: 'source', label: 'Source', secondary: true, render: ({ lead: l }) => l.source ?? '—' },
    { key: 'owner', label: 'Owner', render: ({ lead: l }) => l.ownerRepName ?? 'unassigned' },
    {
      key: 'state',
      label: 'SLA',
      render: (i) => (
        <span className={`pill sla-${i.state}`}>{i.state === 'at_risk' ? 'at risk' : 'breached'}</span>
      ),
    },
    {
      key: 'deadline',
      label: 'Deadline',
      render: (i) =>
        i.deadlineAt === null ? (
          '—'
        ) : (
          <span title={formatDateTime(i.deadlineAt)}>
            {ruleLabel(i.rule)} {i.deadlineAt >= Date.now() ? 'due' : 'was due'}{' '}
            {formatRelative(i.deadlineAt)}
          </span>
        ),
    },
    {
      key: 'why',
      label: 'What is wrong',
      render: (i) =>
        i.breaches.length ? (
          i.breaches.map((b) => b.text).join('; ')
        ) : (
          <span className="warn">{ruleLabel(i.rule)} due soon</span>
        ),
    },
  ];
  return (
    <div className="page">
      <header className="page-head">
        <h1>SLA board</h1>
        <p className="muted">
          Open leads about to miss an SLA deadline (soonest first), then those that missed one (most recent
          first). Open a lead for its timeline and the SLA explained.
        </p>
        <fieldset className="filters" aria-label="Filters">
          <Choice
            label="State"
            value={state}
            onChange={(v) => pick(() => setState(v as StateFilter))}
            options={Object.entries(stateLabels)}
          />
          {canFilterPeople ? (
            <>
              <Choice
                label="Rep"
                value={rep}
                onChange={(v) => pick(() => setRep(v))}
                all="all reps"
                options={reps.status === 'ready' ? reps.data.reps.map((r) => [String(r.id), r.name]) : []}
              />
              <Choice
                label="Team"
                value={team}
                onChange={(v) => pick(() => setTeam(v))}
                all="all teams"
                options={teams.map(([id, name]) => [String(id), name])}
              />
            </>
          ) : null}
          <Choice
            label="Source"
            value={source}
            onChange={(v) => pick(() => setSource(v))}
            all="all sources"
            options={sources.map((s) => [s, s])}
          />
        </fieldset>
      </header>
      <section className="card" data-testid="sla-board">
        <DataState
          state={board}
          label="the SLA board"
          isEmpty={(d) => d.items.length === 0}
          empty="Nothing at risk or breached here: every open lead is within its SLA."
        >
          {(data) => (
            <>
              <p className="muted small">
                <strong>{data.atRisk.toLocaleString('en-US')}</strong> at risk ·{' '}
                <strong>{data.breached.toLocaleString('en-US')}</strong> breached · page {data.page} of{' '}
                {Math.max(1, Math.ceil(data.total / data.pageSize))}
              </p>
              <Table
                caption="Open leads at risk or breached"
                columns={columns}
                rows={data.items}
                rowKey={(i) => i.lead.id}
                rowLabel={(i) => `Open lead ${i.lead.name ?? i.lead.externalId}`}
                onRowClick={(i) => navigate(`/leads/${i.lead.id}`)}
              />
              <div className="pager">
                <button
                  type="button"
                  className="secondary"
                  disabled={page <= 1}
                  onClick={() => setPage(page - 1)}
                >
                  Previous
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={data.page * data.pageSize >= data.total}
                  onClick={() => setPage(page + 1)}
                >
                  Next
                </button>
              </div>
            </>
          )}
        </DataState>
      </section>
    </div>
  );
}

/** A labelled select; `all` adds the empty choice that means no filter. */
function Choice(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<[value: string, label: string]>;
  all?: string;
}) {
  return (
    <label>
      {props.label}
      <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.all === undefined ? null : <option value="">{props.all}</option>}
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}
