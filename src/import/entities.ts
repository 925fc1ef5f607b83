import { z } from 'zod';

/** What `gleaner import KIND` can import. */
export const importKinds = ['leads', 'reps', 'accounts', 'contacts', 'opportunities', 'lead-events'] as const;
export const ImportKind = z.enum(importKinds);
export type ImportKind = z.infer<typeof ImportKind>;

/**
 * What a mapping file can describe: the import kinds, plus call logs, which `gleaner capture calls`
 * reads with the same engine (calls are activities, not imported records).
 */
export const mappingKinds = [...importKinds, 'calls'] as const;
export type MappingKind = (typeof mappingKinds)[number];

export type FieldType =
  | 'text'
  | 'number'
  | 'integer'
  | 'date'
  | 'boolean'
  | 'email'
  | 'phone'
  | 'domain'
  | 'status'
  | 'event_kind'
  | 'list_email'
  | 'list_phone';

export type FieldDef = { type: FieldType; required?: boolean };

const text: FieldDef = { type: 'text' };
const key: FieldDef = { type: 'text', required: true };

/**
 * The Gleaner fields a mapping may fill, per kind. Fields ending in `_ref` name another record by its
 * external id (owner reps also by e-mail or name); the importer resolves them to ids.
 */
export const entityFields = {
  leads: {
    external_id: key,
    first_name: text,
    last_name: text,
    name: text,
    email: { type: 'email' },
    phone: { type: 'phone' },
    title: text,
    company: text,
    company_domain: { type: 'domain' },
    industry: text,
    employees: { type: 'integer' },
    annual_revenue: { type: 'number' },
    country: text,
    region: text,
    segment: text,
    source: text,
    campaign: text,
    landing_page: text,
    score: { type: 'number' },
    handed_over_at: { type: 'date' },
    status: { type: 'status' },
    disposition_reason: text,
    converted_at: { type: 'date' },
    created_at: { type: 'date' },
    owner_ref: text,
    account_ref: text,
  },
  reps: {
    external_id: key,
    name: { type: 'text', required: true },
    email: { type: 'email' },
    team: text,
    time_zone: text,
    monthly_capacity_hours: { type: 'number' },
    active: { type: 'boolean' },
    emails: { type: 'list_email' },
    phones: { type: 'list_phone' },
    created_at: { type: 'date' },
  },
  accounts: {
    external_id: key,
    name: { type: 'text', required: true },
    domain: { type: 'domain' },
    industry: text,
    employees: { type: 'integer' },
    annual_revenue: { type: 'number' },
    country: text,
    owner_ref: text,
    created_at: { type: 'date' },
  },
  contacts: {
    external_id: key,
    name: text,
    email: { type: 'email' },
    phone: { type: 'phone' },
    title: text,
    account_ref: text,
    created_at: { type: 'date' },
  },
  opportunities: {
    external_id: key,
    name: text,
    amount: { type: 'number' },
    currency: text,
    stage: text,
    opened_at: { type: 'date' },
    closed_at: { type: 'date' },
    won: { type: 'boolean' },
    source: text,
    account_ref: text,
    lead_ref: text,
    contact_ref: text,
    owner_ref: text,
    /** The rep who worked the lead (Olist's SDR): becomes the lead's owner. */
    lead_owner_ref: text,
    created_at: { type: 'date' },
  },
  'lead-events': {
    source_key: key,
    lead_ref: { type: 'text', required: true },
    kind: { type: 'event_kind', required: true },
    occurred_at: { type: 'date', required: true },
    from_status: { type: 'status' },
    to_status: { type: 'status' },
    actor: text,
    reason_code: text,
    reason_text: text,
  },
  calls: {
    /** The call's id in the export: with the source it makes capture idempotent. */
    source_key: key,
    started_at: { type: 'date', required: true },
    ended_at: { type: 'date' },
    duration_seconds: { type: 'number' },
    /** 'outbound' or 'inbound' (map the export's values). */
    direction: { type: 'text', required: true },
    /** connected, voicemail, no-answer, abandoned … (map the export's values). */
    disposition: text,
    /** The rep: an e-mail, a phone, or a rep's external id or name. */
    rep: text,
    rep_name: text,
    /** The other party: phone (or another identifier compared as digits) and/or e-mail. */
    counterpart_phone: text,
    counterpart_email: text,
    counterpart_name: text,
  },
} as const satisfies Record<MappingKind, Record<string, FieldDef>>;

export type EntityFields = typeof entityFields;

/** The column that makes an import idempotent, per kind. */
export const keyField = (kind: ImportKind): 'external_id' | 'source_key' =>
  kind === 'lead-events' ? 'source_key' : 'external_id';
