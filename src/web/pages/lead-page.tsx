import type { LeadDetail, TimelineActivity } from '../../server/api/leads.types.ts';
import { useApi } from '../api/use-api.ts';
import { DataState } from '../components/data-state.tsx';
import { formatDateTime, formatMoney, formatNumber } from '../format.ts';

const kindLabel: Record<string, string> = { email: 'mail', call: 'call', meeting: 'meet' };

/** Match rules in words (DESIGN.md: reps by address/phone; leads by e-mail, then phone, then domain). */
const ruleWords: Record<string, (p: TimelineActivity['participants'][number]) => string> = {
  rep: (p) => `${p.email ?? p.phone ?? ''} is a rep's ${p.email ? 'address' : 'phone'}`,
  email: (p) => `${p.email ?? ''} is the lead's e-mail address`,
  phone: (p) => `${p.phone ?? ''} is the lead's phone number`,
  domain: (p) => `${p.email ?? ''} is at the account's domain`,
  'auto-contact': (p) => `${p.email ?? ''} became a contact at a known account`,
};

function matchedBecause(activity: TimelineActivity): string[] {
  return activity.participants
    .filter((p) => p.matchRule)
    .map((p) => {
      const why = p.matchNote ?? ruleWords[p.matchRule ?? '']?.(p) ?? `matched by ${p.matchRule}`;
      return `${p.name ?? p.email ?? p.phone ?? 'someone'} (${p.role}): ${why}`;
    });
}

function describeActivity(a: TimelineActivity): string {
  if (a.kind === 'email') return a.direction === 'inbound' ? 'Reply from the lead' : 'E-mail sent';
  if (a.kind === 'call')
    return `Call${a.durationSeconds ? `, ${Math.round(a.durationSeconds / 60)} min` : ''}${a.disposition ? ` (${a.disposition.replace(/_/g, ' ')})` : ''}`;
  return `Meeting${a.durationSeconds ? `, ${Math.round(a.durationSeconds / 60)} min` : ''}`;
}

/** One lead: lifecycle and reasons, SLA state explained, score, and every captured touch with why it matched. */
export function LeadPage(props: { id: number }) {
  const state = useApi<LeadDetail>(`/api/leads/${props.id}`);
  return (
    <div className="page">
      <p>
        <a href="#/sla">← SLA board</a>
      </p>
      <DataState state={state} label="this lead">
        {(d) => (
          <>
            <header className="page-head">
              <h1 data-testid="lead-name">{d.lead.name ?? d.lead.externalId}</h1>
              <p className="muted">
                {[d.lead.title, d.lead.company].filter(Boolean).join(' at ')} · {d.lead.source ?? 'no source'}
                {d.lead.campaign ? ` · ${d.lead.campaign}` : ''} · owner {d.lead.ownerRepName ?? 'unassigned'}
              </p>
            </header>
            <div className="grid">
              <section className="card" data-testid="lead-sla">
                <h2>SLA</h2>
                {d.sla ? (
                  <>
                    <p>
                      <span className={`pill sla-${d.sla.state}`}>{d.sla.state.replace('_', ' ')}</span>
                      {d.sla.policy ? <span className="muted"> under “{d.sla.policy}”</span> : null}
                    </p>
                    <ul>
                      {d.sla.reasons.map((r) => (
                        <li key={r}>{r}</li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <p className="muted">The SLA has not been evaluated for this lead yet.</p>
                )}
                {d.stats ? (
                  <dl className="facts">
                    <dt>Touches</dt>
                    <dd>
                      {d.stats.touches} ({d.stats.calls} calls, {d.stats.emails} e-mails, {d.stats.meetings}{' '}
                      meetings)
                    </dd>
                    <dt>First touch</dt>
                    <dd>{formatDateTime(d.stats.firstTouchAt)}</dd>
                    <dt>Last touch</dt>
                    <dd>{formatDateTime(d.stats.lastTouchAt)}</dd>
                    <dt>Responses</dt>
                    <dd>{d.stats.responses}</dd>
                    <dt>Rep effort</dt>
                    <dd>{formatNumber(d.stats.effortMinutes)} min</dd>
                  </dl>
                ) : null}
              </section>
              <section className="card">
                <h2>Lead and score</h2>
                <dl className="facts">
                  <dt>Status</dt>
                  <dd>
                    <span className={`pill ${d.lead.status}`}>{d.lead.status}</span>
                    {d.lead.dispositionReason ? ` — ${d.lead.dispositionReason}` : ''}
                  </dd>
                  <dt>Score</dt>
                  <dd>
                    <strong>{d.lead.score ?? '—'}</strong>
                    {d.lead.fitScore !== null || d.lead.behaviourScore !== null
                      ? ` = fit ${d.lead.fitScore ?? '—'} + behaviour ${d.lead.behaviourScore ?? '—'}`
                      : ' (imported from marketing)'}
                    {d.lead.predictedScore !== null
                      ? `; predicted ${formatNumber(d.lead.predictedScore, 2)}`
                      : ''}
                  </dd>
                  <dt>Handed over</dt>
                  <dd>{formatDateTime(d.lead.handedOverAt)}</dd>
                  <dt>Company</dt>
                  <dd>
                    {d.lead.company ?? '—'}
                    {d.lead.employees ? `, ${formatNumber(d.lead.employees)} employees` : ''}
                    {d.lead.industry ? `, ${d.lead.industry}` : ''}
                    {d.lead.annualRevenue ? `, revenue ${formatMoney(d.lead.annualRevenue)}` : ''}
                  </dd>
                  <dt>Contact</dt>
                  <dd>{[d.lead.email, d.lead.phone].filter(Boolean).join(' · ') || '—'}</dd>
                </dl>
              </section>
            </div>
            <section className="card">
              <h2>Lifecycle</h2>
              {d.events.length === 0 ? (
                <p className="muted">No lifecycle events yet.</p>
              ) : (
                <ol className="events">
                  {d.events.map((e) => (
                    <li key={e.id}>
                      <time>{formatDateTime(e.occurredAt)}</time> <strong>{e.kind.replace(/_/g, ' ')}</strong>
                      {e.fromStatus && e.toStatus ? ` (${e.fromStatus} → ${e.toStatus})` : ''}
                      {e.reasonCode ? ` — ${e.reasonCode.replace(/_/g, ' ')}` : ''}
                      {e.reasonText ? `: ${e.reasonText}` : ''}{' '}
                      <span className="muted small">by {e.actor}</span>
                    </li>
                  ))}
                </ol>
              )}
            </section>
            <section className="card" data-testid="lead-timeline">
              <h2>Captured touches</h2>
              {d.timeline.length === 0 ? (
                <p className="state empty">
                  Nothing captured for this lead: no e-mail, call or meeting has reached it.
                </p>
              ) : (
                <ol className="timeline">
                  {d.timeline.map((a) => (
                    <li key={a.id} className={a.isResponse ? 'response' : 'touch'}>
                      <span className={`tl-kind ${a.kind}`} aria-hidden="true">
                        {kindLabel[a.kind] ?? a.kind}
                      </span>
                      <div>
                        <p>
                          <strong>{describeActivity(a)}</strong>{' '}
                          <time className="muted">{formatDateTime(a.occurredAt)}</time>
                          {a.subject ? <span className="muted"> · {a.subject}</span> : null}
                        </p>
                        <p className="small muted">
                          Matched because: {matchedBecause(a).join('; ') || 'no participant matched'}. Source:{' '}
                          {a.source}
                          {a.effortMinutes ? `, ${formatNumber(a.effortMinutes)} min effort` : ''}.
                        </p>
                      </div>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </>
        )}
      </DataState>
    </div>
  );
}
