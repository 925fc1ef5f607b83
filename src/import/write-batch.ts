import type { CopyInto } from '../store/copy-rows.ts';
import type { Engine } from '../store/open-store.ts';
import {
  type Cell,
  type ColumnType,
  type Db,
  execute,
  insertRows,
  selectByKeys,
  updateRows,
} from './bulk-sql.ts';
import type { FieldValue } from './compile-mapping.ts';
import { type ImportKind, keyField } from './entities.ts';

/** A mapped record waiting in a batch, with the CSV line it came from. */
export type PendingRecord = {
  line: number;
  /** The field of each cell: one array shared by every record of a record mapping. */
  fields: readonly string[];
  cells: readonly FieldValue[];
  extra: string | null;
  insertOnly: ReadonlySet<string>;
};

/** A record's value for `field` (undefined when its mapping does not set it). */
export const fieldValue = (rec: PendingRecord, field: string): FieldValue | undefined => {
  const i = rec.fields.indexOf(field);
  return i < 0 ? undefined : rec.cells[i];
};

export type RowReject = { line: number; field: string; reason: string };

export type BatchCounts = {
  inserted: number;
  updated: number;
  unchanged: number;
  rejects: RowReject[];
  /** Leads whose status, owner, conversion or flags an opportunity import changed. */
  leadsUpdated: number;
  /** References (owner, account, contact) that named nothing Gleaner knows; left empty. */
  unresolved: number;
};

type TableSpec = {
  table: string;
  /** Gleaner field → column, when they differ (references resolve to ids). */
  rename: Record<string, string>;
  types: Record<string, ColumnType>;
  /** Columns a null import value must not overwrite (NOT NULL columns). */
  keepIfNull: readonly string[];
  /** Values for a new row when the mapping gives none. */
  insertDefaults: Record<string, Cell>;
  timestamps: boolean;
};

const T = 'text' as const;
const B = 'bigint' as const;
const D = 'double precision' as const;
const I = 'integer' as const;

const specs: Record<ImportKind, TableSpec> = {
  leads: {
    table: 'leads',
    rename: { owner_ref: 'owner_rep_id', account_ref: 'account_id' },
    types: {
      external_id: T,
      first_name: T,
      last_name: T,
      name: T,
      email: T,
      phone: T,
      title: T,
      company: T,
      company_domain: T,
      industry: T,
      employees: B,
      annual_revenue: D,
      country: T,
      region: T,
      segment: T,
      source: T,
      campaign: T,
      landing_page: T,
      score: D,
      handed_over_at: B,
      status: T,
      disposition_reason: T,
      converted_at: B,
      owner_rep_id: B,
      account_id: B,
      extra: T,
      created_at: B,
      updated_at: B,
    },
    keepIfNull: ['status'],
    insertDefaults: { status: 'mql' },
    timestamps: true,
  },
  reps: {
    table: 'reps',
    rename: { team: 'team_id' },
    types: {
      external_id: T,
      name: T,
      email: T,
      team_id: B,
      time_zone: T,
      monthly_capacity_hours: D,
      active: I,
      created_at: B,
      updated_at: B,
    },
    keepIfNull: ['name', 'time_zone', 'monthly_capacity_hours', 'active'],
    insertDefaults: { time_zone: 'UTC', monthly_capacity_hours: 160, active: 1 },
    timestamps: true,
  },
  accounts: {
    table: 'accounts',
    rename: { owner_ref: 'owner_rep_id' },
    types: {
      external_id: T,
      name: T,
      domain: T,
      industry: T,
      employees: B,
      annual_revenue: D,
      country: T,
      owner_rep_id: B,
      extra: T,
      created_at: B,
      updated_at: B,
    },
    keepIfNull: ['name'],
    insertDefaults: {},
    timestamps: true,
  },
  contacts: {
    table: 'contacts',
    rename: { account_ref: 'account_id' },
    types: {
      external_id: T,
      account_id: B,
      name: T,
      email: T,
      phone: T,
      title: T,
      origin: T,
      created_at: B,
      updated_at: B,
    },
    keepIfNull: [],
    insertDefaults: { origin: 'import' },
    timestamps: true,
  },
  opportunities: {
    table: 'opportunities',
    rename: {
      account_ref: 'account_id',
      lead_ref: 'lead_id',
      contact_ref: 'contact_id',
      owner_ref: 'owner_rep_id',
    },
    types: {
      external_id: T,
      name: T,
      account_id: B,
      lead_id: B,
      contact_id: B,
      owner_rep_id: B,
      amount: D,
      currency: T,
      stage: T,
      opened_at: B,
      closed_at: B,
      won: I,
      source: T,
      extra: T,
      created_at: B,
      updated_at: B,
    },
    keepIfNull: [],
    insertDefaults: {},
    timestamps: true,
  },
  'lead-events': {
    table: 'lead_events',
    rename: { lead_ref: 'lead_id' },
    types: {
      source_key: T,
      lead_id: B,
      kind: T,
      from_status: T,
      to_status: T,
      occurred_at: B,
      actor: T,
      reason_code: T,
      reason_text: T,
    },
    keepIfNull: ['actor'],
    insertDefaults: { actor: 'import' },
    timestamps: false,
  },
};

/** The table a kind's records go to. */
export const tableOf = (kind: ImportKind): string => specs[kind].table;

/** Fields that are not columns of the kind's table (handled after the upsert). */
const sideFields: Partial<Record<ImportKind, ReadonlySet<string>>> = {
  reps: new Set(['emails', 'phones']),
  opportunities: new Set(['lead_owner_ref']),
};

/** Rep lookups by external id, e-mail or exact name, loaded once per import. */
export type RepIndex = Map<string, number>;

export async function loadRepIndex(db: Db): Promise<RepIndex> {
  const index: RepIndex = new Map();
  const reps = await db.selectFrom('reps').select(['id', 'external_id', 'name', 'email']).execute();
  const names = new Map<string, number>();
  for (const r of reps) names.set(r.name, (names.get(r.name) ?? 0) + 1);
  for (const r of reps) if (names.get(r.name) === 1) index.set(`name:${r.name.toLowerCase()}`, r.id);
  for (const r of reps) if (r.email) index.set(`email:${r.email.toLowerCase()}`, r.id);
  const ids = await db
    .selectFrom('rep_identities')
    .select(['rep_id', 'value'])
    .where('kind', '=', 'email')
    .execute();
  for (const i of ids) index.set(`email:${i.value}`, i.rep_id);
  for (const r of reps) index.set(`id:${r.external_id}`, r.id);
  return index;
}

const resolveRep = (reps: RepIndex, ref: string): number | undefined =>
  reps.get(`id:${ref}`) ?? reps.get(`email:${ref.toLowerCase()}`) ?? reps.get(`name:${ref.toLowerCase()}`);

/**
 * Writes one batch idempotently: existing rows (one query by key) are compared column by column, so
 * a re-import counts unchanged rows and writes nothing. Run it inside a transaction.
 */
export async function writeBatch(options: {
  db: Db;
  engine: Engine;
  kind: ImportKind;
  records: readonly PendingRecord[];
  reps: RepIndex;
  now: number;
  dryRun: boolean;
  /**
   * Inserts new rows whose ids are not needed another way (PostgreSQL COPY on the transaction's own
   * connection); the rows were looked up in this transaction and found absent.
   */
  copy?: CopyInto;
  /**
   * Keys for which this says false are known not to be stored and are not looked up (a key stored
   * after all fails the batch on the unique key). Without it, every key is looked up.
   */
  mayBeStored?: (key: string) => boolean;
}): Promise<BatchCounts> {
  const { db, engine, kind, now, dryRun } = options;
  const spec = specs[kind];
  const key = keyField(kind);
  const counts: BatchCounts = {
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejects: [],
    leadsUpdated: 0,
    unresolved: 0,
  };
  const side = sideFields[kind] ?? new Set<string>();

  const refs = await resolveReferences(options);
  const teamIds = kind === 'reps' ? await ensureTeams(options) : new Map<string, number>();

  // Build column rows. Hot loop (a million rows per run): a record's cells are one array laid out
  // by its record mapping's shape, worked out once per batch; no object or set per row.
  const shapes = new Map<readonly string[], Shape>();
  const shapeOf = (rec: PendingRecord): Shape => {
    let shape = shapes.get(rec.fields);
    if (!shape) {
      shape = planShape({ spec, side, key, fields: rec.fields, insertOnly: rec.insertOnly });
      shapes.set(rec.fields, shape);
    }
    return shape;
  };
  const rows: Row[] = [];
  const columnSet = new Set<string>();
  const shapesSeen = new Set<Shape>();
  let extraSeen = false;
  for (const rec of options.records) {
    const shape = shapeOf(rec);
    const cells: Cell[] = new Array(shape.width);
    let rejected = false;
    for (let f = 0; f < shape.fields.length; f++) {
      const field = shape.fields[f] as string;
      const value = rec.cells[shape.source[f] as number] as FieldValue;
      let cell: Cell = Array.isArray(value) ? value.join(',') : value;
      if (cell !== null && shape.isRef[f]) {
        const id = refs.get(`${field}:${cell}`);
        if (id === undefined) {
          if (field === 'lead_ref') {
            counts.rejects.push({
              line: rec.line,
              field,
              reason: `no lead with external id "${cell}" (import the leads first)`,
            });
            rejected = true;
            break;
          }
          counts.unresolved += 1;
          cell = null;
        } else cell = id;
      }
      if (shape.isTeam[f] && cell !== null) cell = teamIds.get(String(cell)) ?? null;
      cells[shape.cellOf[f] as number] = cell;
    }
    if (rejected) continue;
    const hasExtra = shape.extraCell >= 0 && rec.extra !== null;
    if (hasExtra) cells[shape.extraCell] = rec.extra;
    if (!shapesSeen.has(shape)) {
      shapesSeen.add(shape);
      for (const column of shape.columns) columnSet.add(column);
    }
    if (hasExtra && !extraSeen) {
      extraSeen = true;
      columnSet.add('extra');
    }
    rows.push({ rec, shape, cells, hasExtra });
  }

  const compareColumns = [...columnSet].filter((c) => c !== key);
  const mayBeStored = options.mayBeStored;
  const keys: string[] = [];
  for (const r of rows) {
    const k = String(r.cells[r.shape.keyCell]);
    if (!mayBeStored || mayBeStored(k)) keys.push(k);
  }
  const existing = await selectByKeys<Record<string, Cell>>({
    db,
    engine,
    table: spec.table,
    key,
    keys,
    columns: ['id', key, ...compareColumns],
  });
  const byKey = new Map(existing.map((e) => [String(e[key]), e]));
  const keepIfNull = new Set(spec.keepIfNull);

  const inserts: Row[] = [];
  const updates = new Map<string, { columns: string[]; rows: Cell[][] }>();
  const ids = new Map<string, number>();
  const changed: number[] = [];
  for (const row of rows) {
    const { shape, cells } = row;
    const k = String(cells[shape.keyCell]);
    const old = byKey.get(k);
    if (!old) {
      inserts.push(row);
      continue;
    }
    ids.set(k, Number(old.id));
    changed.length = 0;
    for (const c of shape.compared) {
      if (c === shape.extraCell && !row.hasExtra) continue;
      const column = shape.cellColumns[c] as string;
      const value = cells[c] as Cell;
      if (value === null && keepIfNull.has(column)) continue;
      if (!same(old[column] ?? null, value)) changed.push(c);
    }
    if (changed.length === 0) {
      counts.unchanged += 1;
      continue;
    }
    counts.updated += 1;
    const names = changed.map((c) => shape.cellColumns[c] as string);
    const columns = spec.timestamps ? [...names, 'updated_at'] : names;
    const signature = columns.join(',');
    const group = updates.get(signature) ?? { columns, rows: [] };
    group.rows.push([
      Number(old.id),
      ...changed.map((c) => cells[c] ?? null),
      ...(spec.timestamps ? [now] : []),
    ]);
    updates.set(signature, group);
  }
  counts.inserted = inserts.length;
  if (dryRun) return counts;

  if (inserts.length > 0) {
    const insertColumns = [
      ...new Set([
        key,
        ...compareColumns,
        ...Object.keys(spec.insertDefaults),
        ...(spec.timestamps ? ['created_at', 'updated_at'] : []),
      ]),
    ];
    // What a column takes when the record gives nothing: now for timestamps, else the default.
    const fallback = insertColumns.map((c) =>
      c === 'created_at' || c === 'updated_at' ? now : (spec.insertDefaults[c] ?? null),
    );
    // Per shape, the cell each insert column comes from (-1: none).
    const from = new Map<Shape, number[]>();
    const values: Cell[] = new Array(inserts.length * insertColumns.length);
    let at = 0;
    for (const r of inserts) {
      let cellsOf = from.get(r.shape);
      if (!cellsOf) {
        cellsOf = insertColumns.map((c) => r.shape.cellColumns.indexOf(c));
        from.set(r.shape, cellsOf);
      }
      for (let c = 0; c < insertColumns.length; c++) {
        const i = cellsOf[c] as number;
        const v = i < 0 || (i === r.shape.extraCell && !r.hasExtra) ? undefined : r.cells[i];
        values[at++] = v !== undefined && v !== null ? v : (fallback[c] as Cell);
      }
    }
    // Only these kinds write side rows or links that need the new ids.
    const returnIds = kind === 'reps' || kind === 'accounts' || kind === 'opportunities';
    if (!returnIds && options.copy) {
      await options.copy({ table: spec.table, columns: insertColumns, values });
    } else {
      const created = await insertRows({
        db,
        table: spec.table,
        columns: insertColumns,
        types: insertColumns.map((c) => spec.types[c] ?? 'text'),
        values,
        key,
        returnIds,
      });
      for (const c of created) ids.set(String(c.key), Number(c.id));
    }
  }
  for (const group of updates.values()) {
    await updateRows({
      db,
      engine,
      table: spec.table,
      columns: group.columns,
      types: group.columns.map((c) => spec.types[c] ?? 'text'),
      rows: group.rows,
    });
  }

  if (kind === 'reps') await writeRepIdentities({ db, engine, records: rows.map((r) => r.rec), ids });
  if (kind === 'accounts') await writeAccountDomains({ db, engine, rows: rows.map(columnsOf), ids });
  if (kind === 'opportunities') {
    counts.leadsUpdated = await linkWonLeads({
      ...options,
      rows: rows.map((r) => ({ rec: r.rec, cols: columnsOf(r) })),
      ids,
    });
  }
  return counts;
}

/** A record's cells laid out by its record mapping: which field goes to which cell. */
type Shape = {
  /** The record's fields that are columns of the table, in the record's order. */
  fields: string[];
  /** Per field: its index in the record's cells. */
  source: number[];
  /** Per field: its cell; a `*_ref` resolved to an id; a rep team name resolved to its id. */
  cellOf: number[];
  isRef: boolean[];
  isTeam: boolean[];
  /** Each cell's column (fields' columns, then `extra` when the table has it). */
  cellColumns: string[];
  /** The fields' columns, in first-set order. */
  columns: string[];
  width: number;
  keyCell: number;
  /** -1 when the table has no `extra` column. */
  extraCell: number;
  /** Cells compared with the stored row on re-import (not the key, not insert-only columns). */
  compared: number[];
};

type Row = { rec: PendingRecord; shape: Shape; cells: Cell[]; hasExtra: boolean };

function planShape(options: {
  spec: TableSpec;
  side: ReadonlySet<string>;
  key: string;
  fields: readonly string[];
  insertOnly: ReadonlySet<string>;
}): Shape {
  const { spec, side, key } = options;
  const fields = options.fields.filter((f) => !side.has(f));
  const cellColumns: string[] = [];
  const cellOf = fields.map((f) => {
    const column = spec.rename[f] ?? f;
    let cell = cellColumns.indexOf(column);
    if (cell < 0) cell = cellColumns.push(column) - 1;
    return cell;
  });
  const columns = [...cellColumns];
  let extraCell = -1;
  if (spec.types.extra) {
    extraCell = cellColumns.indexOf('extra');
    if (extraCell < 0) extraCell = cellColumns.push('extra') - 1;
  }
  const insertOnly = new Set(
    [...options.insertOnly].filter((f) => !side.has(f)).map((f) => spec.rename[f] ?? f),
  );
  return {
    fields,
    source: fields.map((f) => options.fields.indexOf(f)),
    cellOf,
    isRef: fields.map((f) => f.endsWith('_ref')),
    isTeam: fields.map((f) => spec.table === 'reps' && f === 'team'),
    cellColumns,
    columns,
    width: cellColumns.length,
    keyCell: cellColumns.indexOf(key),
    extraCell,
    compared: cellColumns
      .map((_, i) => i)
      .filter((i) => cellColumns[i] !== key && !insertOnly.has(cellColumns[i] as string)),
  };
}

/** A row's cells as column → value (for the few kinds that write side rows). */
function columnsOf(row: Row): Record<string, Cell> {
  const cols: Record<string, Cell> = {};
  row.shape.cellColumns.forEach((column, i) => {
    if (i !== row.shape.extraCell || row.hasExtra) cols[column] = row.cells[i] ?? null;
  });
  return cols;
}

function same(a: Cell, b: Cell): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number')
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  if (typeof a === 'number' || typeof b === 'number') return String(a) === String(b);
  return false;
}

/** Resolves every `*_ref` in the batch with one query per referenced table. */
async function resolveReferences(options: {
  db: Db;
  engine: Engine;
  records: readonly PendingRecord[];
  reps: RepIndex;
}): Promise<Map<string, number>> {
  const { db, engine, records, reps } = options;
  const out = new Map<string, number>();
  const wanted = new Map<string, Set<string>>();
  // The `*_ref` cells of each record mapping (records share their mapping's field list).
  const refCells = new Map<readonly string[], number[]>();
  for (const rec of records) {
    let refs = refCells.get(rec.fields);
    if (!refs) {
      refs = rec.fields.flatMap((f, i) => (f.endsWith('_ref') ? [i] : []));
      refCells.set(rec.fields, refs);
    }
    for (const i of refs) {
      const field = rec.fields[i] as string;
      const value = rec.cells[i];
      if (value === null || value === undefined || Array.isArray(value)) continue;
      const v = String(value);
      if (field === 'owner_ref' || field === 'lead_owner_ref') {
        const id = resolveRep(reps, v);
        if (id !== undefined) out.set(`${field}:${v}`, id);
        continue;
      }
      const set = wanted.get(field) ?? new Set<string>();
      set.add(v);
      wanted.set(field, set);
    }
  }
  const tables: Record<string, string> = {
    account_ref: 'accounts',
    lead_ref: 'leads',
    contact_ref: 'contacts',
  };
  for (const [field, values] of wanted) {
    const table = tables[field];
    if (!table) continue;
    const keys = [...values];
    const found = await selectByKeys<{ id: number; external_id: string }>({
      db,
      engine,
      table,
      key: 'external_id',
      keys,
      columns: ['id', 'external_id'],
    });
    for (const f of found) out.set(`${field}:${f.external_id}`, Number(f.id));
    // Accounts are often named rather than identified (Zoho, Pipedrive): fall back to the exact name.
    if (table === 'accounts') {
      const left = keys.filter((k) => !out.has(`${field}:${k}`));
      const named = await selectByKeys<{ id: number; name: string }>({
        db,
        engine,
        table,
        key: 'name',
        keys: left,
        columns: ['id', 'name'],
      });
      for (const n of named) if (!out.has(`${field}:${n.name}`)) out.set(`${field}:${n.name}`, Number(n.id));
    }
  }
  return out;
}

async function ensureTeams(options: {
  db: Db;
  engine: Engine;
  records: readonly PendingRecord[];
  now: number;
  dryRun: boolean;
}): Promise<Map<string, number>> {
  const { db, engine, now } = options;
  const names = [
    ...new Set(
      options.records.map((r) => fieldValue(r, 'team')).filter((t): t is string => typeof t === 'string'),
    ),
  ];
  if (names.length === 0) return new Map();
  if (!options.dryRun) {
    await insertRows({
      db,
      table: 'teams',
      columns: ['name', 'created_at'],
      types: ['text', 'bigint'],
      values: names.flatMap((n) => [n, now]),
      key: 'name',
      ignoreConflicts: true,
    });
  }
  const teams = await selectByKeys<{ id: number; name: string }>({
    db,
    engine,
    table: 'teams',
    key: 'name',
    keys: names,
    columns: ['id', 'name'],
  });
  return new Map(teams.map((t) => [t.name, Number(t.id)]));
}

async function writeRepIdentities(options: {
  db: Db;
  engine: Engine;
  records: readonly PendingRecord[];
  ids: Map<string, number>;
}): Promise<void> {
  const rows: Cell[][] = [];
  for (const rec of options.records) {
    const repId = options.ids.get(String(fieldValue(rec, 'external_id')));
    if (repId === undefined) continue;
    const emails = new Set<string>();
    const email = fieldValue(rec, 'email');
    const aliases = fieldValue(rec, 'emails');
    const phones = fieldValue(rec, 'phones');
    if (typeof email === 'string') emails.add(email);
    if (Array.isArray(aliases)) for (const e of aliases) emails.add(e);
    for (const e of emails) rows.push([repId, 'email', e]);
    if (Array.isArray(phones)) for (const p of new Set(phones)) rows.push([repId, 'phone', p]);
  }
  await insertRows({
    db: options.db,
    table: 'rep_identities',
    columns: ['rep_id', 'kind', 'value'],
    types: ['bigint', 'text', 'text'],
    values: rows.flat(),
    key: 'value',
    ignoreConflicts: true,
  });
}

async function writeAccountDomains(options: {
  db: Db;
  engine: Engine;
  rows: ReadonlyArray<Record<string, Cell>>;
  ids: Map<string, number>;
}): Promise<void> {
  const rows: Cell[][] = [];
  for (const cols of options.rows) {
    const id = options.ids.get(String(cols.external_id));
    if (id !== undefined && typeof cols.domain === 'string') rows.push([id, cols.domain]);
  }
  await insertRows({
    db: options.db,
    table: 'account_domains',
    columns: ['account_id', 'domain'],
    types: ['bigint', 'text'],
    values: rows.flat(),
    key: 'domain',
    ignoreConflicts: true,
  });
}

export const WON_BEFORE_FIRST_CONTACT = 'won_before_first_contact';

/**
 * A won opportunity qualifies its lead: status, conversion time, opportunity and (when given) the
 * rep who worked it. A deal won before the lead's hand-over is kept and flagged, not dropped.
 */
async function linkWonLeads(options: {
  db: Db;
  engine: Engine;
  rows: ReadonlyArray<{ rec: PendingRecord; cols: Record<string, Cell> }>;
  ids: Map<string, number>;
  reps: RepIndex;
  now: number;
}): Promise<number> {
  const { db, engine, now } = options;
  const linked = options.rows.filter((r) => typeof r.cols.lead_id === 'number');
  if (linked.length === 0) return 0;
  const leadIds = linked.map((r) => r.cols.lead_id as number);
  const leads = await execute<{
    id: number;
    status: string;
    converted_at: number | null;
    opportunity_id: number | null;
    owner_rep_id: number | null;
    handed_over_at: number | null;
    flags: string | null;
  }>({
    db,
    engine,
    sql: `select id, status, converted_at, opportunity_id, owner_rep_id, handed_over_at, flags from leads where id in (${leadIds.map(() => '?').join(',')})`,
    params: leadIds,
  });
  const byId = new Map(leads.map((l) => [Number(l.id), l]));
  let changedLeads = 0;
  for (const { rec, cols } of linked) {
    const lead = byId.get(cols.lead_id as number);
    const oppId = options.ids.get(String(cols.external_id));
    if (!lead || oppId === undefined) continue;
    const next = { ...lead, opportunity_id: oppId };
    if (cols.won === 1) {
      next.status = 'qualified';
      if (typeof cols.closed_at === 'number') next.converted_at = cols.closed_at;
      const ownerRef = fieldValue(rec, 'lead_owner_ref');
      if (typeof ownerRef === 'string')
        next.owner_rep_id = resolveRep(options.reps, ownerRef) ?? lead.owner_rep_id;
      if (
        typeof cols.closed_at === 'number' &&
        lead.handed_over_at !== null &&
        cols.closed_at < lead.handed_over_at
      ) {
        next.flags = addFlag(lead.flags, WON_BEFORE_FIRST_CONTACT);
      }
    }
    const changed =
      next.status !== lead.status ||
      next.converted_at !== lead.converted_at ||
      Number(next.opportunity_id) !== Number(lead.opportunity_id) ||
      next.owner_rep_id !== lead.owner_rep_id ||
      next.flags !== lead.flags;
    if (!changed) continue;
    changedLeads += 1;
    await execute({
      db,
      engine,
      sql: 'update leads set status = ?, converted_at = ?, opportunity_id = ?, owner_rep_id = ?, flags = ?, updated_at = ? where id = ?',
      params: [
        next.status,
        next.converted_at,
        next.opportunity_id,
        next.owner_rep_id,
        next.flags,
        now,
        lead.id,
      ],
    });
  }
  return changedLeads;
}

function addFlag(flags: string | null, flag: string): string {
  const set = new Set((flags ?? '').split(',').filter(Boolean));
  set.add(flag);
  return [...set].join(',');
}
