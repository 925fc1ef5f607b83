import { type FormEvent, useState } from 'react';
import type { ImportKind, ImportRun, ImportRunList } from '../../server/api/imports.types.ts';
import { ApiError, api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { DataState } from '../components/data-state.tsx';
import { type Column, Table } from '../components/table.tsx';
import { formatCell, formatDateTime } from '../format.ts';

const kinds: ReadonlyArray<readonly [ImportKind, string]> = [
  ['leads', 'Leads (CRM CSV)'],
  ['opportunities', 'Opportunities (CSV)'],
  ['accounts', 'Accounts (CSV)'],
  ['contacts', 'Contacts (CSV)'],
  ['reps', 'Reps (CSV)'],
  ['lead-events', 'Lead events (CSV)'],
  ['mbox', 'Mailbox (mbox)'],
  ['ics', 'Calendar (.ics)'],
  ['calls', 'Dialer call log (CSV)'],
];

function Progress(props: { run: ImportRun }) {
  const p = props.run.progress;
  if (props.run.status !== 'running') return null;
  const share = p?.bytes != null && p.totalBytes ? p.bytes / p.totalBytes : null;
  return (
    <p className="muted" aria-live="polite">
      {share !== null ? (
        <progress value={share} max={1} aria-label="Import progress">
          {Math.round(share * 100)} %
        </progress>
      ) : null}{' '}
      Importing… {p ? `${p.rows.toLocaleString()} rows so far` : 'starting'}
      {share !== null ? ` (${Math.round(share * 100)} %)` : ''}
    </p>
  );
}

function Summary(props: { run: ImportRun }) {
  const { run } = props;
  const summary = run.summary ?? {};
  const counts = Object.entries(summary).filter(([, v]) => typeof v === 'number');
  const error = typeof summary.error === 'string' ? summary.error : null;
  return (
    <div data-testid="import-summary">
      <p>
        <strong>{run.file}</strong> ({run.kind}) — <span className={`pill ${run.status}`}>{run.status}</span>
        {run.preset ? (
          <span className="muted">
            {' '}
            mapped with preset <code>{run.preset}</code>
            {summary.presetChosen === 'detected' ? ' (recognised from the header)' : ''}
          </span>
        ) : null}
      </p>
      <Progress run={run} />
      {error ? (
        <p className="state error" role="alert">
          {error}
        </p>
      ) : null}
      <dl className="facts">
        {counts.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}</dt>
            <dd>{formatCell(v as number)}</dd>
          </div>
        ))}
      </dl>
      {run.rejectsAvailable ? (
        <p>
          <a href={`/api/imports/${run.id}/rejects`} download>
            Download the rejected rows (CSV: line, field, reason)
          </a>
        </p>
      ) : null}
    </div>
  );
}

export function ImportsPage() {
  const [kind, setKind] = useState<ImportKind>('leads');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportRun | null>(null);
  const [error, setError] = useState<string | null>(null);
  const runs = useApi<ImportRunList>('/api/imports');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    const form = new FormData();
    form.set('kind', kind);
    form.set('file', file);
    try {
      // The server answers once the run is recorded; the import goes on in the background.
      let run = await api<ImportRun>('/api/imports', { method: 'POST', body: form });
      setResult(run);
      runs.reload();
      while (run.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        run = await api<ImportRun>(`/api/imports/${run.id}`);
        setResult(run);
      }
      runs.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const columns: Column<ImportRun>[] = [
    { key: 'started', label: 'Started', render: (r) => formatDateTime(r.startedAt) },
    { key: 'kind', label: 'Kind', render: (r) => r.kind },
    { key: 'file', label: 'File', render: (r) => r.file },
    { key: 'status', label: 'Status', render: (r) => <span className={`pill ${r.status}`}>{r.status}</span> },
    {
      key: 'summary',
      label: 'Summary',
      render: (r) =>
        Object.entries(r.summary ?? {})
          .filter(([, v]) => typeof v === 'number')
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '—',
    },
  ];

  return (
    <div className="page">
      <header className="page-head">
        <h1>Imports</h1>
        <p className="muted">
          Upload a CRM export, a mailbox, a calendar or a dialer log. Imports are idempotent.
        </p>
      </header>
      <form className="card upload" onSubmit={submit} aria-label="Upload a file">
        <label>
          What is it?
          <select
            aria-label="What is it?"
            value={kind}
            onChange={(e) => setKind(e.target.value as ImportKind)}
          >
            {kinds.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          File
          <input type="file" name="file" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <button type="submit" disabled={!file || busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
        {error ? (
          <p className="state error" role="alert">
            {error}
          </p>
        ) : null}
        {result ? <Summary run={result} /> : null}
      </form>
      <section className="card">
        <h2>Earlier imports</h2>
        <DataState
          state={runs}
          label="imports"
          isEmpty={(d) => d.runs.length === 0}
          empty="Nothing imported yet."
        >
          {(d) => <Table caption="Import runs" columns={columns} rows={d.runs} rowKey={(r) => r.id} />}
        </DataState>
      </section>
    </div>
  );
}
