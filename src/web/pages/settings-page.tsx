import { type FormEvent, useState } from 'react';
import type { Me } from '../../server/api/auth.types.ts';
import type {
  Attractiveness,
  ImapAccountList,
  ImapAccountView,
  MqlBar,
  ReasonCodes,
  ScoringRules,
  SlaPolicyList,
} from '../../server/api/settings.types.ts';
import type { ApiTokenList, CreatedToken, UserList } from '../../server/api/users.types.ts';
import { ApiError, api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { DataState } from '../components/data-state.tsx';
import { type Column, Table } from '../components/table.tsx';
import { formatDateTime } from '../format.ts';

type Tab = 'sla' | 'scoring' | 'attractiveness' | 'reasons' | 'users' | 'tokens' | 'imap';

// The server decides (src/server/routes.ts); these tabs only avoid offering what it would refuse.
const tabsByRole: Record<Me['role'], Tab[]> = {
  admin: ['sla', 'scoring', 'attractiveness', 'reasons', 'users', 'tokens', 'imap'],
  marketing: ['sla', 'scoring', 'attractiveness', 'reasons'],
  manager: ['sla', 'scoring', 'attractiveness', 'reasons'],
  rep: [],
};
const tabLabels: Record<Tab, string> = {
  sla: 'SLA policies',
  scoring: 'Scoring & MQL bar',
  attractiveness: 'Attractiveness',
  reasons: 'Reason codes',
  users: 'Users',
  tokens: 'API tokens',
  imap: 'IMAP accounts',
};

/** JSON editor for a settings document: shows the server's validation message, with its location, on save. */
function JsonEditor(props: {
  path: string;
  label: string;
  canEdit: boolean;
  initial: unknown;
  toBody: (v: unknown) => unknown;
}) {
  const [text, setText] = useState(() => JSON.stringify(props.initial, null, 2));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      setMessage({ ok: false, text: `Not valid JSON: ${(e as Error).message}` });
      return;
    }
    try {
      await api(props.path, { method: 'PUT', body: props.toBody(value) });
      setMessage({ ok: true, text: 'Saved.' });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof ApiError ? e.message : String(e) });
    }
  };
  return (
    <form onSubmit={save}>
      <label>
        {props.label}
        <textarea
          rows={16}
          spellCheck={false}
          readOnly={!props.canEdit}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {props.canEdit ? (
        <button type="submit">Save</button>
      ) : (
        <p className="muted small">Read only for your role.</p>
      )}
      {message ? (
        <p className={`state ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

function SlaTab(props: { canEdit: boolean }) {
  const state = useApi<SlaPolicyList>('/api/sla-policies');
  return (
    <DataState state={state} label="SLA policies">
      {(d) => (
        <JsonEditor
          path="/api/sla-policies"
          label="Policies, first match wins"
          canEdit={props.canEdit}
          initial={d.policies.map((p) => p.definition)}
          toBody={(v) => ({ policies: v })}
        />
      )}
    </DataState>
  );
}

/** Text of a number input → number, or null when empty; NaN when it is not a number. */
const numberOrNull = (text: string): number | null => (text.trim() === '' ? null : Number(text));

/** The MQL bar as a small form: below it leads stay in the nurture pool, invisible to reps. */
function MqlBarForm(props: { canEdit: boolean; initial: MqlBar }) {
  const [threshold, setThreshold] = useState(props.initial.threshold?.toString() ?? '');
  const [minFit, setMinFit] = useState(props.initial.minFit?.toString() ?? '');
  const [events, setEvents] = useState(props.initial.events.join(', '));
  const [current, setCurrent] = useState(props.initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const t = numberOrNull(threshold);
    const f = numberOrNull(minFit);
    if (Number.isNaN(t) || Number.isNaN(f)) {
      setMessage({ ok: false, text: 'Threshold and minimum fit must be numbers (or empty).' });
      return;
    }
    const body: MqlBar = {
      threshold: t,
      ...(f === null ? {} : { minFit: f }),
      events: events
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    };
    setSaving(true);
    try {
      const saved = await api<MqlBar>('/api/mql-bar', { method: 'PUT', body });
      setCurrent(saved);
      setMessage({
        ok: true,
        text: `Saved: ${describeBar(saved)}. Nurture leads cross it at the next score recompute.`,
      });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof ApiError ? e.message : String(e) });
    } finally {
      setSaving(false);
    }
  };
  return (
    <form onSubmit={save} aria-labelledby="mql-bar-title" data-testid="mql-bar">
      <h2 id="mql-bar-title">MQL bar</h2>
      <p className="muted small">
        Leads below the bar stay in the nurture pool, which reps never see. Current: {describeBar(current)}.
      </p>
      <div className="inline-form">
        <label>
          Score threshold
          <input
            type="number"
            step="any"
            inputMode="decimal"
            value={threshold}
            readOnly={!props.canEdit}
            onChange={(e) => setThreshold(e.target.value)}
            placeholder="none"
          />
        </label>
        <label>
          Minimum fit (optional)
          <input
            type="number"
            step="any"
            inputMode="decimal"
            value={minFit}
            readOnly={!props.canEdit}
            onChange={(e) => setMinFit(e.target.value)}
            placeholder="none"
          />
        </label>
        <label className="grow">
          Events that hand over at once (comma-separated)
          <input
            value={events}
            readOnly={!props.canEdit}
            onChange={(e) => setEvents(e.target.value)}
            placeholder={props.canEdit ? 'demo_request' : 'none'}
          />
        </label>
        {props.canEdit ? (
          <button type="submit" disabled={saving}>
            {saving ? 'Saving…' : 'Save MQL bar'}
          </button>
        ) : null}
      </div>
      {props.canEdit ? null : <p className="muted small">Read only for your role.</p>}
      {message ? (
        <p className={`state ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

function describeBar(bar: MqlBar): string {
  const parts = [
    bar.threshold === null ? 'no score threshold' : `score ≥ ${bar.threshold}`,
    ...(bar.minFit === undefined ? [] : [`fit ≥ ${bar.minFit}`]),
    ...(bar.events.length ? [`or events ${bar.events.join(', ')}`] : []),
  ];
  return parts.join(', ');
}

function ScoringTab(props: { canEdit: boolean }) {
  const bar = useApi<MqlBar>('/api/mql-bar');
  const state = useApi<ScoringRules>('/api/scoring-rules');
  return (
    <>
      <DataState state={bar} label="MQL bar">
        {(d) => <MqlBarForm canEdit={props.canEdit} initial={d} />}
      </DataState>
      <h2>Scoring rules</h2>
      <DataState state={state} label="scoring rules">
        {(d) => (
          <JsonEditor
            path="/api/scoring-rules"
            label="Fit and behaviour rule groups"
            canEdit={props.canEdit}
            initial={d}
            toBody={(v) => v}
          />
        )}
      </DataState>
    </>
  );
}

function AttractivenessTab(props: { canEdit: boolean }) {
  const state = useApi<Attractiveness>('/api/attractiveness');
  return (
    <DataState state={state} label="attractiveness rules">
      {(d) => (
        <JsonEditor
          path="/api/attractiveness"
          label="What counts as an attractive lead (titles, company size, brands, industries)"
          canEdit={props.canEdit}
          initial={d}
          toBody={(v) => v}
        />
      )}
    </DataState>
  );
}

function ReasonsTab(props: { canEdit: boolean }) {
  const state = useApi<ReasonCodes>('/api/reason-codes');
  return (
    <DataState state={state} label="reason codes">
      {(d) => (
        <JsonEditor
          path="/api/reason-codes"
          label="Reasons to reject (with a category), disqualify and skip a lead; the queue offers exactly these"
          canEdit={props.canEdit}
          initial={d}
          toBody={(v) => v}
        />
      )}
    </DataState>
  );
}

function UsersTab() {
  const state = useApi<UserList>('/api/users');
  const columns: Column<UserList['users'][number]>[] = [
    { key: 'name', label: 'Name', render: (u) => u.name },
    { key: 'email', label: 'E-mail', render: (u) => u.email },
    { key: 'role', label: 'Role', render: (u) => <span className="role-badge">{u.role}</span> },
    {
      key: 'scope',
      label: 'Rep / team',
      render: (u) => (u.repId ? `rep ${u.repId}` : u.teamId ? `team ${u.teamId}` : '—'),
    },
    { key: 'disabled', label: 'Active', render: (u) => (u.disabled ? 'disabled' : 'yes') },
  ];
  return (
    <DataState state={state} label="users" isEmpty={(d) => d.users.length === 0}>
      {(d) => <Table caption="Users" columns={columns} rows={d.users} rowKey={(u) => u.id} />}
    </DataState>
  );
}

function TokensTab() {
  const state = useApi<ApiTokenList>('/api/tokens');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setCreated(await api<CreatedToken>('/api/tokens', { method: 'POST', body: { name } }));
      setName('');
      state.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const columns: Column<ApiTokenList['tokens'][number]>[] = [
    { key: 'name', label: 'Name', render: (t) => t.name },
    { key: 'created', label: 'Created', render: (t) => formatDateTime(t.createdAt) },
    { key: 'used', label: 'Last used', render: (t) => formatDateTime(t.lastUsedAt) },
    {
      key: 'revoked',
      label: 'Revoked',
      render: (t) => (t.revokedAt ? formatDateTime(t.revokedAt) : 'active'),
    },
  ];
  return (
    <>
      <form className="inline-form" onSubmit={create}>
        <label>
          New token name
          <input
            value={name}
            required
            onChange={(e) => setName(e.target.value)}
            placeholder="dialer export job"
          />
        </label>
        <button type="submit">Create token</button>
      </form>
      {created ? (
        <p className="state ok" role="status">
          Token created. Copy it now, it is shown once: <code>{created.token}</code>
        </p>
      ) : null}
      {error ? (
        <p className="state error" role="alert">
          {error}
        </p>
      ) : null}
      <DataState
        state={state}
        label="API tokens"
        isEmpty={(d) => d.tokens.length === 0}
        empty="No API tokens yet."
      >
        {(d) => <Table caption="API tokens" columns={columns} rows={d.tokens} rowKey={(t) => t.id} />}
      </DataState>
    </>
  );
}

type ImapDraft = {
  name: string;
  host: string;
  port: string;
  tls: boolean;
  allowSelfSigned: boolean;
  user: string;
  folders: string;
  /** `keep` only when editing: leave the stored secret source as it is. */
  secret: 'env' | 'file' | 'keep';
  secretRef: string;
};

const emptyDraft: ImapDraft = {
  name: '',
  host: '',
  port: '993',
  tls: true,
  allowSelfSigned: false,
  user: '',
  folders: 'INBOX, Sent',
  secret: 'env',
  secretRef: '',
};

const draftOf = (a: ImapAccountView): ImapDraft => ({
  name: a.name,
  host: a.host,
  port: String(a.port),
  tls: a.tls,
  allowSelfSigned: a.allowSelfSigned,
  user: a.user,
  folders: a.folders.join(', '),
  secret: 'keep',
  secretRef: '',
});

/** The request body; the server validates it (and names the field when it refuses). */
function bodyOf(d: ImapDraft): Record<string, unknown> {
  return {
    name: d.name.trim(),
    host: d.host.trim(),
    port: Number(d.port),
    tls: d.tls,
    allowSelfSigned: d.allowSelfSigned,
    user: d.user.trim(),
    folders: d.folders
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
    ...(d.secret === 'env' ? { passwordEnv: d.secretRef.trim() } : {}),
    ...(d.secret === 'file' ? { passwordFile: d.secretRef.trim() } : {}),
  };
}

/** Add or edit one account. There is no password field: the password stays where the account says. */
function ImapAccountForm(props: {
  editing: ImapAccountView | null;
  onSaved: (account: ImapAccountView) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<ImapDraft>(props.editing ? draftOf(props.editing) : emptyDraft);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof ImapDraft>(key: K, value: ImapDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaving(true);
    try {
      const saved = await api<ImapAccountView>(
        props.editing ? `/api/imap-accounts/${props.editing.id}` : '/api/imap-accounts',
        { method: props.editing ? 'PUT' : 'POST', body: bodyOf(draft) },
      );
      props.onSaved(saved);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };
  const title = props.editing ? `Edit ${props.editing.name}` : 'Add an IMAP account';
  return (
    <form className="imap-form" onSubmit={submit} aria-label={title} data-testid="imap-form">
      <h2>{title}</h2>
      <div className="form-grid">
        <TextField
          label="Name"
          value={draft.name}
          onChange={(v) => set('name', v)}
          placeholder="sales-inbox"
        />
        <TextField
          label="Host"
          value={draft.host}
          onChange={(v) => set('host', v)}
          placeholder="imap.example.com"
        />
        <TextField
          label="Port"
          type="number"
          min={1}
          max={65535}
          value={draft.port}
          onChange={(v) => set('port', v)}
        />
        <TextField
          label="User"
          value={draft.user}
          onChange={(v) => set('user', v)}
          placeholder="sales@example.com"
        />
        <TextField
          label="Folders (comma-separated)"
          value={draft.folders}
          onChange={(v) => set('folders', v)}
        />
        <label>
          Password from
          <select value={draft.secret} onChange={(e) => set('secret', e.target.value as ImapDraft['secret'])}>
            {props.editing ? <option value="keep">keep the current source</option> : null}
            <option value="env">an environment variable</option>
            <option value="file">a file</option>
          </select>
        </label>
        {draft.secret === 'keep' ? null : (
          <label>
            {draft.secret === 'env' ? 'Variable name' : 'File path'}
            <input
              value={draft.secretRef}
              required
              onChange={(e) => set('secretRef', e.target.value)}
              placeholder={
                draft.secret === 'env' ? 'IMAP_SALES_PASSWORD' : '/run/secrets/imap-sales.password'
              }
              autoComplete="off"
              spellCheck={false}
            />
          </label>
        )}
      </div>
      <div className="checks">
        <label className="check">
          <input type="checkbox" checked={draft.tls} onChange={(e) => set('tls', e.target.checked)} />
          TLS from the start (port 993)
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.allowSelfSigned}
            onChange={(e) => set('allowSelfSigned', e.target.checked)}
          />
          Accept a self-signed certificate
        </label>
      </div>
      <p className="muted small">
        Gleaner never stores the password: name an environment variable (starting <code>IMAP_</code> or{' '}
        <code>GLEANER_IMAP_</code>) or an absolute path to a file ending in <code>password</code>,{' '}
        <code>pw</code> or <code>secret</code>, set where{' '}
        <code>gleaner capture imap --account {draft.name || 'NAME'}</code> runs.
      </p>
      <div className="inline-form">
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : props.editing ? 'Save account' : 'Add account'}
        </button>
        {props.editing ? (
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="state error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** A required one-line input inside its label (the label is its accessible name). */
function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  type?: 'text' | 'number';
  min?: number;
  max?: number;
}) {
  return (
    <label>
      {props.label}
      <input
        type={props.type ?? 'text'}
        min={props.min}
        max={props.max}
        autoComplete="off"
        value={props.value}
        required
        onChange={(e) => props.onChange(e.target.value)}
        placeholder={props.placeholder}
      />
    </label>
  );
}

function ImapTab() {
  const state = useApi<ImapAccountList>('/api/imap-accounts');
  const [editing, setEditing] = useState<ImapAccountView | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // A new key resets the form after a save or a switch between accounts.
  const [formKey, setFormKey] = useState(0);
  const saved = (account: ImapAccountView) => {
    setMessage({ ok: true, text: `Saved ${account.name} (${account.user} at ${account.host}).` });
    setEditing(null);
    setFormKey((k) => k + 1);
    state.reload();
  };
  const remove = async (account: ImapAccountView) => {
    setConfirming(null);
    try {
      await api(`/api/imap-accounts/${account.id}`, { method: 'DELETE' });
      setMessage({ ok: true, text: `Removed ${account.name}.` });
      if (editing?.id === account.id) setEditing(null);
      state.reload();
    } catch (e) {
      setMessage({ ok: false, text: e instanceof ApiError ? e.message : String(e) });
    }
  };
  const columns: Column<ImapAccountView>[] = [
    { key: 'name', label: 'Name', render: (a) => <strong>{a.name}</strong> },
    {
      key: 'actions',
      label: 'Actions',
      render: (a) => (
        <span className="row-actions">
          <button
            type="button"
            className="secondary"
            aria-label={`Edit ${a.name}`}
            onClick={() => {
              setEditing(a);
              setFormKey((k) => k + 1);
            }}
          >
            Edit
          </button>
          {confirming === a.id ? (
            <button type="button" className="danger" onClick={() => void remove(a)}>
              Confirm remove
            </button>
          ) : (
            <button
              type="button"
              className="secondary"
              aria-label={`Remove ${a.name}`}
              onClick={() => setConfirming(a.id)}
            >
              Remove
            </button>
          )}
        </span>
      ),
    },
    { key: 'mailbox', label: 'Mailbox', render: (a) => `${a.user} at ${a.host}:${a.port}` },
    {
      key: 'tls',
      label: 'TLS',
      render: (a) => (a.tls ? (a.allowSelfSigned ? 'yes, self-signed' : 'yes') : 'no'),
    },
    { key: 'folders', label: 'Folders', render: (a) => a.folders.join(', ') },
    {
      key: 'secret',
      label: 'Password',
      render: (a) =>
        a.passwordSource === 'env'
          ? 'from an environment variable'
          : a.passwordSource === 'file'
            ? 'from a file'
            : 'not configured',
    },
  ];
  return (
    <>
      <DataState
        state={state}
        label="IMAP accounts"
        isEmpty={(d) => d.accounts.length === 0}
        empty={
          <>
            No IMAP account yet. Add one below; <code>gleaner capture imap --account NAME</code> then captures
            it.
          </>
        }
      >
        {(d) => <Table caption="IMAP accounts" columns={columns} rows={d.accounts} rowKey={(a) => a.id} />}
      </DataState>
      {message ? (
        <p className={`state ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
      <ImapAccountForm
        key={formKey}
        editing={editing}
        onSaved={saved}
        onCancel={() => {
          setEditing(null);
          setFormKey((k) => k + 1);
        }}
      />
    </>
  );
}

export function SettingsPage(props: { me: Me }) {
  const tabs = tabsByRole[props.me.role];
  const [tab, setTab] = useState<Tab>(tabs[0] ?? 'sla');
  const isAdmin = props.me.role === 'admin';
  const scoringEditor = isAdmin || props.me.role === 'marketing';
  return (
    <div className="page">
      <header className="page-head">
        <h1>Settings</h1>
      </header>
      <div className="tabs" role="tablist" aria-label="Settings">
        {tabs.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            className={tab === t ? 'tab active' : 'tab'}
            onClick={() => setTab(t)}
          >
            {tabLabels[t]}
          </button>
        ))}
      </div>
      <section className="card" role="tabpanel" aria-label={tabLabels[tab]}>
        {tab === 'sla' ? <SlaTab canEdit={isAdmin} /> : null}
        {tab === 'scoring' ? <ScoringTab canEdit={scoringEditor} /> : null}
        {tab === 'attractiveness' ? <AttractivenessTab canEdit={scoringEditor} /> : null}
        {tab === 'reasons' ? <ReasonsTab canEdit={isAdmin} /> : null}
        {tab === 'users' ? <UsersTab /> : null}
        {tab === 'tokens' ? <TokensTab /> : null}
        {tab === 'imap' ? <ImapTab /> : null}
      </section>
    </div>
  );
}
