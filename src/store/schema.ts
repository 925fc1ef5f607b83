import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The one source of truth for database types. Conventions, identical on SQLite and PostgreSQL:
 * - times are epoch milliseconds (INTEGER / BIGINT), always UTC;
 * - booleans are 0/1 integers;
 * - structured values (settings, definitions, origins) are JSON text;
 * - every CRM-imported row has a unique `external_id` for idempotent upserts.
 */
export interface Database {
  workspace_settings: WorkspaceSettingsTable;
  teams: TeamsTable;
  reps: RepsTable;
  rep_identities: RepIdentitiesTable;
  accounts: AccountsTable;
  account_domains: AccountDomainsTable;
  contacts: ContactsTable;
  leads: LeadsTable;
  lead_stats: LeadStatsTable;
  lead_events: LeadEventsTable;
  opportunities: OpportunitiesTable;
  activities: ActivitiesTable;
  activity_participants: ActivityParticipantsTable;
  sla_policies: SlaPoliciesTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  import_runs: ImportRunsTable;
  deferred_indexes: DeferredIndexesTable;
  capture_cursors: CaptureCursorsTable;
  imap_accounts: ImapAccountsTable;
  score_models: ScoreModelsTable;
  jobs: JobsTable;
}

export interface WorkspaceSettingsTable {
  key: string;
  /** JSON text. */
  value: string;
  updated_at: number;
}

export interface TeamsTable {
  id: Generated<number>;
  name: string;
  manager_rep_id: number | null;
  created_at: number;
}

export interface RepsTable {
  id: Generated<number>;
  external_id: string;
  name: string;
  email: string | null;
  team_id: number | null;
  time_zone: Generated<string>;
  monthly_capacity_hours: Generated<number>;
  active: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** A rep's addresses, aliases and phones (normalised: lower-case email, E.164 phone). */
export interface RepIdentitiesTable {
  id: Generated<number>;
  rep_id: number;
  kind: 'email' | 'phone';
  value: string;
}

export interface AccountsTable {
  id: Generated<number>;
  external_id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  annual_revenue: number | null;
  country: string | null;
  owner_rep_id: number | null;
  extra: string | null;
  created_at: number;
  updated_at: number;
}

export interface AccountDomainsTable {
  id: Generated<number>;
  account_id: number;
  domain: string;
}

export interface ContactsTable {
  id: Generated<number>;
  external_id: string | null;
  account_id: number | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
  /** 'import' | 'auto' (auto-created from captured activity) | 'api'. */
  origin: string;
  created_at: number;
  updated_at: number;
}

export interface LeadsTable {
  id: Generated<number>;
  external_id: string;
  first_name: string | null;
  last_name: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
  company: string | null;
  company_domain: string | null;
  industry: string | null;
  employees: number | null;
  annual_revenue: number | null;
  country: string | null;
  region: string | null;
  segment: string | null;
  source: string | null;
  campaign: string | null;
  landing_page: string | null;
  /** The score in force: imported (marketing's) or Gleaner's own. */
  score: number | null;
  fit_score: number | null;
  behaviour_score: number | null;
  predicted_score: number | null;
  /** MQL time: the SLA clock starts here. Null while in nurture. */
  handed_over_at: number | null;
  owner_rep_id: number | null;
  account_id: number | null;
  status: string;
  disposition_reason: string | null;
  converted_at: number | null;
  opportunity_id: number | null;
  /** Comma-separated data-quality flags, e.g. 'won_before_first_contact'. */
  flags: string | null;
  /** JSON text of source columns Gleaner keeps but has no field for. */
  extra: string | null;
  created_at: number;
  updated_at: number;
}

/** Per-lead counters maintained as activity arrives, so reports never rescan activities. */
export interface LeadStatsTable {
  lead_id: number;
  first_touch_at: number | null;
  last_touch_at: number | null;
  touches: Generated<number>;
  calls: Generated<number>;
  emails: Generated<number>;
  meetings: Generated<number>;
  responses: Generated<number>;
  last_response_at: number | null;
  effort_minutes: Generated<number>;
  updated_at: number;
  /**
   * Largest gap in ms between consecutive touches (null with < 2 touches); migration 0004. Whoever
   * writes touches keeps it: for a touch at t ≥ last_touch_at, max(max_gap_ms, t − last_touch_at);
   * otherwise call refreshLeadStats (src/sla/lead-stats.ts) for the lead.
   */
  max_gap_ms: number | null;
}

export interface LeadEventsTable {
  id: Generated<number>;
  lead_id: number;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  occurred_at: number;
  /** 'import' | 'system' | 'user:<id>' | 'rep:<id>' | 'router' … */
  actor: string;
  reason_code: string | null;
  reason_text: string | null;
  /** Unique when set: makes imported and generated events idempotent. */
  source_key: string | null;
  /** JSON text. */
  data: string | null;
}

export interface OpportunitiesTable {
  id: Generated<number>;
  external_id: string;
  name: string | null;
  account_id: number | null;
  lead_id: number | null;
  contact_id: number | null;
  owner_rep_id: number | null;
  amount: number | null;
  currency: string | null;
  stage: string | null;
  opened_at: number | null;
  closed_at: number | null;
  /** 1 won, 0 lost, null open. */
  won: number | null;
  source: string | null;
  extra: string | null;
  created_at: number;
  updated_at: number;
}

export interface ActivitiesTable {
  id: Generated<number>;
  kind: string;
  direction: string;
  occurred_at: number;
  ended_at: number | null;
  duration_seconds: number | null;
  effort_minutes: Generated<number>;
  rep_id: number | null;
  lead_id: number | null;
  contact_id: number | null;
  account_id: number | null;
  /** 'mail' | 'calendar' | 'calls' | 'api' …; with source_key unique, this makes capture idempotent. */
  source: string;
  source_key: string;
  message_id: string | null;
  in_reply_to: string | null;
  thread_key: string | null;
  subject: string | null;
  /** Call disposition or meeting status. */
  disposition: string | null;
  /** 1 when a rep reached out to a lead (outbound email, call attempt, meeting). */
  is_touch: Generated<number>;
  /** 1 when the lead wrote back (inbound mail from the lead). */
  is_response: Generated<number>;
  /** JSON text: where it was read (file, offset, folder, uid). */
  origin: string | null;
  created_at: number;
}

export interface ActivityParticipantsTable {
  id: Generated<number>;
  activity_id: number;
  /** 'from' | 'to' | 'cc' | 'bcc' | 'organizer' | 'attendee' | 'caller' | 'callee'. */
  role: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  rep_id: number | null;
  lead_id: number | null;
  contact_id: number | null;
  account_id: number | null;
  match_rule: string | null;
  match_note: string | null;
  /** Meeting response: accepted, declined, tentative, needs-action. */
  response: string | null;
}

export interface SlaPoliciesTable {
  id: Generated<number>;
  name: string;
  position: number;
  /** JSON text of the validated policy. */
  definition: string;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string | null;
  role: string;
  rep_id: number | null;
  team_id: number | null;
  disabled: Generated<number>;
  created_at: number;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface ImportRunsTable {
  id: Generated<number>;
  kind: string;
  file: string;
  preset: string | null;
  started_at: number;
  finished_at: number | null;
  status: string;
  /** JSON text of the summary (read, inserted, updated, unchanged, rejected …). */
  summary: string | null;
}

/** A secondary index a bulk import dropped, with the statement that re-creates it. */
export interface DeferredIndexesTable {
  name: string;
  table_name: string;
  definition: string;
  deferred_at: number;
}

/** Where incremental capture stopped, e.g. IMAP account + folder → UIDVALIDITY and last UID. */
export interface CaptureCursorsTable {
  id: Generated<number>;
  source: string;
  scope: string;
  validity: string | null;
  position: string;
  updated_at: number;
}

/** A stored IMAP account (migration 0010). Never the password: the env variable or file that holds it. */
export interface ImapAccountsTable {
  id: Generated<number>;
  name: string;
  host: string;
  port: number;
  tls: number;
  allow_self_signed: number;
  user_name: string;
  password_env: string | null;
  password_file: string | null;
  /** JSON array of folder names. */
  folders: string;
  created_at: number;
  updated_at: number;
}

export interface ScoreModelsTable {
  id: Generated<number>;
  version: number;
  kind: string;
  active: Generated<number>;
  /** JSON text. */
  metrics: string;
  /** JSON text of the fitted model. */
  model: string;
  created_at: number;
}

/** A PostgreSQL-backed (and SQLite) job queue for capture workers. */
export interface JobsTable {
  id: Generated<number>;
  queue: string;
  payload: string;
  status: string;
  attempts: Generated<number>;
  run_at: number;
  locked_by: string | null;
  locked_at: number | null;
  last_error: string | null;
  created_at: number;
}

export type LeadRow = Selectable<LeadsTable>;
export type NewLeadRow = Insertable<LeadsTable>;
export type LeadUpdate = Updateable<LeadsTable>;
export type RepRow = Selectable<RepsTable>;
export type AccountRow = Selectable<AccountsTable>;
export type ContactRow = Selectable<ContactsTable>;
export type OpportunityRow = Selectable<OpportunitiesTable>;
export type ActivityRow = Selectable<ActivitiesTable>;
export type NewActivityRow = Insertable<ActivitiesTable>;
export type ActivityParticipantRow = Selectable<ActivityParticipantsTable>;
export type LeadEventRow = Selectable<LeadEventsTable>;
export type LeadStatsRow = Selectable<LeadStatsTable>;
export type UserRow = Selectable<UsersTable>;
