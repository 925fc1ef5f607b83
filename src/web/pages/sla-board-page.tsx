import { useMemo, useState } from 'react';
import type { Me } from '../../server/api/auth.types.ts';
import type { LeadList, LeadSummary } from '../../server/api/leads.types.ts';
import type { RepList } from '../../server/api/users.types.ts';
import { withQuery } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { DataState } from '../components/data-state.tsx';
import { type Column, Table } from '../components/table.tsx';
import { formatDateTime, formatRelative } from '../format.ts';
import { navigate } from '../router.ts';

const openStatuses = 'mql,accepted,working';

/** Open leads, oldest hand-over first (the SLA clock's order), filterable by rep, team and source. */
export function SlaBoardPage(props: { me: Me }) {
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
  const path = withQuery('/api/leads', {
    status: openStatuses,
    owner: rep,
    team,
    source,
    sort: 'handed_over_at',
    page,
    pageSize: 50,
  });
  const leads = useApi<LeadList>(path);
  const columns: Column<LeadSummary>[] = [
    {
      key: 'lead',
      label: 'Lead',
      render: (l) => (
        <a href={`#/leads/${l.id}`} onClick={(e) => e.stopPropagation()}>
          {l.name ?? l.externalId}
        </a>
      ),
    },
    { key: 'company', label: 'Company', render: (l) => l.company ?? '—' },
    { key: 'score', label: 'Score', numeric: true, render: (l) => l.score ?? '—' },
    { key: 'source', label: 'Source', render: (l) => l.source ?? '—' },
    { key: 'owner', label: 'Owner', render: (l) => l.ownerRepName ?? 'unassigned' },
    { key: 'status', label: 'Status', render: (l) => <span className={`pill ${l.status}`}>{l.status}</span> },
    {
      key: 'handed',
      label: 'Handed over',
      render: (l) => (l.handedOverAt ? `${formatRelative(l.handedOverAt)}` : '—'),
    },
    { key: 'touches', label: 'Touches', numeric: true, render: (l) => l.touches },
    {
      key: 'first',
      label: 'First touch',
      render: (l) =>
        l.firstTouchAt ? formatDateTime(l.firstTouchAt) : <span className="warn">none yet</span>,
    },
  ];
  return (
    <div className="page">
      <header className="page-head">
        <h1>SLA board</h1>
        <p className="muted">
          Open leads whose SLA clock is running, oldest hand-over first. Open a lead to see which deadline is
          at risk or breached.
        </p>
        <fieldset className="filters" aria-label="Filters">
          {canFilterPeople ? (
            <>
              <label>
                Rep
                <select
                  aria-label="Rep"
                  value={rep}
                  onChange={(e) => {
                    setRep(e.target.value);
                    setPage(1);
                  }}
                >
                  <option value="">all reps</option>
                  {reps.status === 'ready'
                    ? reps.data.reps.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.name}
                        </option>
                      ))
                    : null}
                </select>
              </label>
              <label>
                Team
                <select
                  aria-label="Team"
                  value={team}
                  onChange={(e) => {
                    setTeam(e.target.value);
                    setPage(1);
                  }}
                >
                  <option value="">all teams</option>
                  {teams.map(([id, name]) => (
                    <option key={id} value={id}>
                      {name}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : null}
          <label>
            Source
            <select
              aria-label="Source"
              value={source}
              onChange={(e) => {
                setSource(e.target.value);
                setPage(1);
              }}
            >
              <option value="">all sources</option>
              {['webinar', 'tradeshow', 'partner', 'web', 'content', 'outbound'].map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        </fieldset>
      </header>
      <section className="card" data-testid="sla-board">
        <DataState
          state={leads}
          label="open leads"
          isEmpty={(d) => d.items.length === 0}
          empty="No open leads match: nothing is waiting on the SLA clock."
        >
          {(data) => (
            <>
              <p className="muted small">
                {data.total.toLocaleString('en-US')} open leads · page {data.page} of{' '}
                {Math.max(1, Math.ceil(data.total / data.pageSize))}
              </p>
              <Table
                caption="Open leads by SLA clock"
                columns={columns}
                rows={data.items}
                rowKey={(l) => l.id}
                rowLabel={(l) => `Open lead ${l.name ?? l.externalId}`}
                onRowClick={(l) => navigate(`/leads/${l.id}`)}
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
