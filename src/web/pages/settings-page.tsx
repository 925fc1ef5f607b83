import { type FormEvent, useState } from 'react';
import type { Me } from '../../server/api/auth.types.ts';
import type { ScoringRules, SlaPolicyList } from '../../server/api/settings.types.ts';
import type { ApiTokenList, CreatedToken, UserList } from '../../server/api/users.types.ts';
import { ApiError, api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { DataState } from '../components/data-state.tsx';
import { type Column, Table } from '../components/table.tsx';
import { formatDateTime } from '../format.ts';

type Tab = 'sla' | 'scoring' | 'attractiveness' | 'users' | 'tokens' | 'imap';

const tabsByRole: Record<Me['role'], Tab[]> = {
  admin: ['sla', 'attractiveness', 'scoring', 'users', 'tokens', 'imap'],
  marketing: ['sla', 'scoring', 'attractiveness'],
  manager: [],
  rep: [],
};
const tabLabels: Record<Tab, string> = {
  sla: 'SLA policies',
  attractiveness: 'Attractiveness',
  scoring: 'Scoring rules',
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

function ScoringTab(props: { canEdit: boolean }) {
  const state = useApi<ScoringRules>('/api/scoring-rules');
  return (
    <DataState state={state} label="scoring rules">
      {(d) => (
        <JsonEditor
          path="/api/scoring-rules"
          label="Scoring rules"
          canEdit={props.canEdit}
          initial={d}
          toBody={(v) => v}
        />
      )}
    </DataState>
  );
}

function AttractivenessTab(props: { canEdit: boolean }) {
  const state = useApi<unknown>('/api/attractiveness');
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

function ImapTab() {
  const state = useApi<{ accounts: Array<{ id: number; host: string; user: string; folder?: string }> }>(
    '/api/imap-accounts',
  );
  return (
    <DataState
      state={state}
      label="IMAP accounts"
      isEmpty={(d) => d.accounts.length === 0}
      empty="No IMAP account connected. `gleaner capture imap --help` connects one."
    >
      {(d) => (
        <ul>
          {d.accounts.map((a) => (
            <li key={a.id}>
              {a.user} at {a.host}
              {a.folder ? ` (${a.folder})` : ''}
            </li>
          ))}
        </ul>
      )}
    </DataState>
  );
}

export function SettingsPage(props: { me: Me }) {
  const tabs = tabsByRole[props.me.role];
  const [tab, setTab] = useState<Tab>(tabs[0] ?? 'sla');
  const isAdmin = props.me.role === 'admin';
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
        {tab === 'scoring' ? <ScoringTab canEdit={isAdmin || props.me.role === 'marketing'} /> : null}
        {tab === 'attractiveness' ? <AttractivenessTab canEdit={isAdmin} /> : null}
        {tab === 'users' ? <UsersTab /> : null}
        {tab === 'tokens' ? <TokensTab /> : null}
        {tab === 'imap' ? <ImapTab /> : null}
      </section>
    </div>
  );
}
