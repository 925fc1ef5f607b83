import { type FormEvent, useState } from 'react';
import { defaultReasonCodes } from '../../lifecycle/reason-codes.ts';
import type { Me } from '../../server/api/auth.types.ts';
import type {
  Queue,
  QueueActionName,
  QueueActionRequest,
  QueueActionResponse,
} from '../../server/api/queue.types.ts';
import type { ReasonCodes } from '../../server/api/settings.types.ts';
import type { RepList } from '../../server/api/users.types.ts';
import { ApiError, api, withQuery } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { DataState } from '../components/data-state.tsx';
import { formatDateTime, formatRelative } from '../format.ts';

/** Reason codes offered per action: the workspace's (the server accepts only those), the defaults until loaded. */
const reasonsFor = (
  codes: ReasonCodes,
): Record<Exclude<QueueActionName, 'accept'>, ReadonlyArray<{ code: string; label: string }>> => ({
  skip: codes.skip,
  reject: codes.rejection,
  disqualify: codes.disqualification,
});

export function QueuePage(props: { me: Me }) {
  const [blind, setBlind] = useState(false);
  const [pending, setPending] = useState<Exclude<QueueActionName, 'accept'> | null>(null);
  const [reasonCode, setReasonCode] = useState('');
  const [reasonText, setReasonText] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [rep, setRep] = useState('');
  const [skipped, setSkipped] = useState<ReadonlySet<number>>(new Set());
  const isRep = props.me.role === 'rep';
  const reps = useApi<RepList>(isRep ? null : '/api/reps');
  const codes = useApi<ReasonCodes>('/api/reason-codes');
  const reasons = reasonsFor(codes.status === 'ready' ? codes.data : defaultReasonCodes);
  const queue = useApi<Queue>(
    isRep || rep
      ? withQuery('/api/queue', { blind: blind ? 1 : undefined, limit: 20, rep: isRep ? undefined : rep })
      : null,
  );

  const act = async (leadId: number, body: QueueActionRequest, name: string) => {
    setMessage(null);
    try {
      const result = await api<QueueActionResponse>(`/api/leads/${leadId}/actions`, { method: 'POST', body });
      setMessage({ kind: 'ok', text: `${name}: ${result.fromStatus} → ${result.toStatus}.` });
      // A skip keeps the lead open; show the next one for the rest of this visit.
      if (body.action === 'skip') setSkipped((old) => new Set([...old, leadId]));
      setPending(null);
      setReasonCode('');
      setReasonText('');
      queue.reload();
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof ApiError ? error.message : String(error) });
    }
  };

  return (
    <div className="page">
      <header className="page-head">
        <h1>My queue</h1>
        <p className="muted">
          {props.me.role === 'rep' ? 'Your' : 'The'} open leads, next to work first: by SLA deadline, then
          score.
        </p>
        {isRep ? null : (
          <label>
            Whose queue
            <select aria-label="Whose queue" value={rep} onChange={(e) => setRep(e.target.value)}>
              <option value="">choose a rep…</option>
              {reps.status === 'ready'
                ? reps.data.reps.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))
                : null}
            </select>
          </label>
        )}
        <label className="toggle">
          <input type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} /> Blind mode
          (hide company and title, so the score decides)
        </label>
      </header>
      {message ? (
        <p
          className={`state ${message.kind === 'ok' ? 'ok' : 'error'}`}
          role={message.kind === 'ok' ? 'status' : 'alert'}
        >
          {message.text}
        </p>
      ) : null}
      {!isRep && !rep ? <p className="state empty">Choose a rep to see their queue.</p> : null}
      <DataState
        state={queue}
        label="your queue"
        isEmpty={(q) => q.items.every((item) => skipped.has(item.id))}
        empty="The queue is empty: every lead is worked."
      >
        {(q) => {
          const [next, ...rest] = q.items.filter((item) => !skipped.has(item.id));
          if (!next) return null;
          const submit = (event: FormEvent) => {
            event.preventDefault();
            if (!pending || !reasonCode) return;
            void act(next.id, { action: pending, reasonCode, reasonText: reasonText || undefined }, pending);
          };
          return (
            <>
              <section className="card next-lead" data-testid="queue-next" aria-labelledby="next-title">
                <p className="small muted">Next lead</p>
                <h2 id="next-title">
                  <a href={`#/leads/${next.id}`}>{next.name ?? next.externalId}</a>
                </h2>
                <p>
                  {q.blind ? (
                    <span className="muted">company and title hidden</span>
                  ) : (
                    [next.title, next.company].filter(Boolean).join(' at ')
                  )}
                </p>
                <p>
                  Score <strong>{next.score ?? '—'}</strong> · {next.source ?? 'no source'} · handed over{' '}
                  {formatDateTime(next.handedOverAt)}
                  {next.dueAt ? (
                    <>
                      {' '}
                      · due <strong>{formatRelative(next.dueAt)}</strong>
                    </>
                  ) : null}
                </p>
                <p className="small muted">Why here: {next.why}</p>
                <div className="actions">
                  <button type="button" onClick={() => void act(next.id, { action: 'accept' }, 'accepted')}>
                    Accept
                  </button>
                  {(['skip', 'reject', 'disqualify'] as const).map((a) => (
                    <button
                      key={a}
                      type="button"
                      className="secondary"
                      aria-expanded={pending === a}
                      onClick={() => {
                        setPending(a);
                        setReasonCode('');
                      }}
                    >
                      {a[0]?.toUpperCase()}
                      {a.slice(1)}…
                    </button>
                  ))}
                </div>
                {pending ? (
                  <form className="reason-form" onSubmit={submit} aria-label={`${pending} with a reason`}>
                    <label>
                      Reason to {pending}
                      <select
                        aria-label={`Reason to ${pending}`}
                        required
                        value={reasonCode}
                        onChange={(e) => setReasonCode(e.target.value)}
                      >
                        <option value="">choose a reason…</option>
                        {reasons[pending].map(({ code, label }) => (
                          <option key={code} value={code}>
                            {label}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      Note (optional)
                      <input
                        value={reasonText}
                        onChange={(e) => setReasonText(e.target.value)}
                        maxLength={2000}
                      />
                    </label>
                    <div className="actions">
                      <button type="submit" disabled={!reasonCode}>
                        Confirm {pending}
                      </button>
                      <button type="button" className="secondary" onClick={() => setPending(null)}>
                        Cancel
                      </button>
                    </div>
                  </form>
                ) : null}
              </section>
              {rest.length ? (
                <section className="card">
                  <h2>Then</h2>
                  <ol className="queue-list">
                    {rest.map((item) => (
                      <li key={item.id}>
                        <a href={`#/leads/${item.id}`}>{item.name ?? item.externalId}</a>{' '}
                        <span className="muted small">
                          {item.why}
                          {item.dueAt ? ` · due ${formatRelative(item.dueAt)}` : ''}
                        </span>
                      </li>
                    ))}
                  </ol>
                </section>
              ) : null}
            </>
          );
        }}
      </DataState>
    </div>
  );
}
