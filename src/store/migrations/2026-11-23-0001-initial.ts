import { type AnyDb, bigintType, idColumn, idType, realType } from './column-types.ts';

// Frozen on 2026-11-23. Never edit: add a new migration instead.
export async function up(db: AnyDb): Promise<void> {
  const id = idType(db);
  const idCol = idColumn(db);
  const big = bigintType(db);
  const real = realType(db);
  const s = db.schema;

  await s
    .createTable('workspace_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await s
    .createTable('teams')
    .addColumn('id', id, idCol)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('manager_rep_id', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await s
    .createTable('reps')
    .addColumn('id', id, idCol)
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('team_id', big, (c) => c.references('teams.id'))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('monthly_capacity_hours', real, (c) => c.notNull().defaultTo(160))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await s
    .createTable('rep_identities')
    .addColumn('id', id, idCol)
    .addColumn('rep_id', big, (c) => c.notNull().references('reps.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addUniqueConstraint('rep_identities_kind_value', ['kind', 'value'])
    .execute();
  await s.createIndex('rep_identities_rep').on('rep_identities').column('rep_id').execute();

  await s
    .createTable('accounts')
    .addColumn('id', id, idCol)
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domain', 'text')
    .addColumn('industry', 'text')
    .addColumn('employees', big)
    .addColumn('annual_revenue', real)
    .addColumn('country', 'text')
    .addColumn('owner_rep_id', big, (c) => c.references('reps.id'))
    .addColumn('extra', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await s
    .createTable('account_domains')
    .addColumn('id', id, idCol)
    .addColumn('account_id', big, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('domain', 'text', (c) => c.notNull().unique())
    .execute();
  await s.createIndex('account_domains_account').on('account_domains').column('account_id').execute();

  await s
    .createTable('contacts')
    .addColumn('id', id, idCol)
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('account_id', big, (c) => c.references('accounts.id'))
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('title', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await s.createIndex('contacts_email').on('contacts').column('email').execute();
  await s.createIndex('contacts_phone').on('contacts').column('phone').execute();
  await s.createIndex('contacts_account').on('contacts').column('account_id').execute();

  await s
    .createTable('leads')
    .addColumn('id', id, idCol)
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('title', 'text')
    .addColumn('company', 'text')
    .addColumn('company_domain', 'text')
    .addColumn('industry', 'text')
    .addColumn('employees', big)
    .addColumn('annual_revenue', real)
    .addColumn('country', 'text')
    .addColumn('region', 'text')
    .addColumn('segment', 'text')
    .addColumn('source', 'text')
    .addColumn('campaign', 'text')
    .addColumn('landing_page', 'text')
    .addColumn('score', real)
    .addColumn('fit_score', real)
    .addColumn('behaviour_score', real)
    .addColumn('predicted_score', real)
    .addColumn('handed_over_at', big)
    .addColumn('owner_rep_id', big, (c) => c.references('reps.id'))
    .addColumn('account_id', big, (c) => c.references('accounts.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('disposition_reason', 'text')
    .addColumn('converted_at', big)
    .addColumn('opportunity_id', big)
    .addColumn('flags', 'text')
    .addColumn('extra', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await s.createIndex('leads_owner_status').on('leads').columns(['owner_rep_id', 'status']).execute();
  await s.createIndex('leads_status_handed_over').on('leads').columns(['status', 'handed_over_at']).execute();
  await s.createIndex('leads_handed_over').on('leads').column('handed_over_at').execute();
  await s.createIndex('leads_email').on('leads').column('email').execute();
  await s.createIndex('leads_phone').on('leads').column('phone').execute();
  await s.createIndex('leads_account').on('leads').column('account_id').execute();
  await s.createIndex('leads_company_domain').on('leads').column('company_domain').execute();

  await s
    .createTable('lead_stats')
    .addColumn('lead_id', big, (c) => c.primaryKey().references('leads.id').onDelete('cascade'))
    .addColumn('first_touch_at', big)
    .addColumn('last_touch_at', big)
    .addColumn('touches', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('emails', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('meetings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('responses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_response_at', big)
    .addColumn('effort_minutes', real, (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await s
    .createTable('lead_events')
    .addColumn('id', id, idCol)
    .addColumn('lead_id', big, (c) => c.notNull().references('leads.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('occurred_at', big, (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text')
    .addColumn('reason_text', 'text')
    .addColumn('source_key', 'text', (c) => c.unique())
    .addColumn('data', 'text')
    .execute();
  await s
    .createIndex('lead_events_lead_time')
    .on('lead_events')
    .columns(['lead_id', 'occurred_at'])
    .execute();
  await s.createIndex('lead_events_kind_time').on('lead_events').columns(['kind', 'occurred_at']).execute();

  await s
    .createTable('opportunities')
    .addColumn('id', id, idCol)
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('account_id', big, (c) => c.references('accounts.id'))
    .addColumn('lead_id', big, (c) => c.references('leads.id'))
    .addColumn('contact_id', big, (c) => c.references('contacts.id'))
    .addColumn('owner_rep_id', big, (c) => c.references('reps.id'))
    .addColumn('amount', real)
    .addColumn('currency', 'text')
    .addColumn('stage', 'text')
    .addColumn('opened_at', big)
    .addColumn('closed_at', big)
    .addColumn('won', 'integer')
    .addColumn('source', 'text')
    .addColumn('extra', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await s.createIndex('opportunities_account').on('opportunities').column('account_id').execute();
  await s.createIndex('opportunities_lead').on('opportunities').column('lead_id').execute();

  await s
    .createTable('activities')
    .addColumn('id', id, idCol)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('occurred_at', big, (c) => c.notNull())
    .addColumn('ended_at', big)
    .addColumn('duration_seconds', big)
    .addColumn('effort_minutes', real, (c) => c.notNull().defaultTo(0))
    .addColumn('rep_id', big, (c) => c.references('reps.id'))
    .addColumn('lead_id', big, (c) => c.references('leads.id'))
    .addColumn('contact_id', big, (c) => c.references('contacts.id'))
    .addColumn('account_id', big, (c) => c.references('accounts.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('in_reply_to', 'text')
    .addColumn('thread_key', 'text')
    .addColumn('subject', 'text')
    .addColumn('disposition', 'text')
    .addColumn('is_touch', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_response', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('origin', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addUniqueConstraint('activities_source_key', ['source', 'source_key'])
    .execute();
  await s.createIndex('activities_lead_time').on('activities').columns(['lead_id', 'occurred_at']).execute();
  await s.createIndex('activities_rep_time').on('activities').columns(['rep_id', 'occurred_at']).execute();
  await s.createIndex('activities_time').on('activities').column('occurred_at').execute();
  await s.createIndex('activities_account').on('activities').column('account_id').execute();

  await s
    .createTable('activity_participants')
    .addColumn('id', id, idCol)
    .addColumn('activity_id', big, (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('name', 'text')
    .addColumn('rep_id', big)
    .addColumn('lead_id', big)
    .addColumn('contact_id', big)
    .addColumn('account_id', big)
    .addColumn('match_rule', 'text')
    .addColumn('match_note', 'text')
    .addColumn('response', 'text')
    .execute();
  await s
    .createIndex('activity_participants_activity')
    .on('activity_participants')
    .column('activity_id')
    .execute();
  await s.createIndex('activity_participants_email').on('activity_participants').column('email').execute();
  await s.createIndex('activity_participants_phone').on('activity_participants').column('phone').execute();
  await s.createIndex('activity_participants_lead').on('activity_participants').column('lead_id').execute();

  await s
    .createTable('sla_policies')
    .addColumn('id', id, idCol)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await s
    .createTable('users')
    .addColumn('id', id, idCol)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('rep_id', big, (c) => c.references('reps.id'))
    .addColumn('team_id', big, (c) => c.references('teams.id'))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await s
    .createTable('api_tokens')
    .addColumn('id', id, idCol)
    .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big)
    .addColumn('revoked_at', big)
    .execute();

  await s
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .execute();

  await s
    .createTable('import_runs')
    .addColumn('id', id, idCol)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('preset', 'text')
    .addColumn('started_at', big, (c) => c.notNull())
    .addColumn('finished_at', big)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .execute();

  await s
    .createTable('capture_cursors')
    .addColumn('id', id, idCol)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('validity', 'text')
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addUniqueConstraint('capture_cursors_source_scope', ['source', 'scope'])
    .execute();

  await s
    .createTable('score_models')
    .addColumn('id', id, idCol)
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await s
    .createTable('jobs')
    .addColumn('id', id, idCol)
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_at', big, (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_at', big)
    .addColumn('last_error', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await s.createIndex('jobs_queue_status_run').on('jobs').columns(['queue', 'status', 'run_at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  const tables = [
    'jobs',
    'score_models',
    'capture_cursors',
    'import_runs',
    'sessions',
    'api_tokens',
    'users',
    'sla_policies',
    'activity_participants',
    'activities',
    'opportunities',
    'lead_events',
    'lead_stats',
    'leads',
    'contacts',
    'account_domains',
    'accounts',
    'rep_identities',
    'reps',
    'teams',
    'workspace_settings',
  ];
  for (const table of tables) await db.schema.dropTable(table).ifExists().execute();
}
