import type { CountryCode } from 'libphonenumber-js';
import { leadEventKinds, leadStatuses } from '../domain/words.ts';
import { AppError } from '../errors/app-error.ts';
import { entityFields, type FieldDef, type MappingKind } from './entities.ts';
import type { FieldSpec, MappingFile, RecordMapping } from './mapping.schema.ts';
import {
  type Bad,
  isBad,
  normaliseDomain,
  normaliseEmail,
  normalisePhone,
  parseBoolean,
  parseDate,
  parseInteger,
  parseNumber,
} from './values.ts';

export type FieldValue = string | number | null | string[];

/** One record a CSV row yields: Gleaner field → value. */
export type MappedRecord = { values: Record<string, FieldValue>; extra: string | null };

/**
 * The same record as cells in its record mapping's field order (`recordFields[mapping]`): what the
 * importer carries from mapping to write (no object with a key per field for each row).
 */
export type MappedCells = { mapping: number; cells: FieldValue[]; extra: string | null };

export type RowProblem = { field: string; reason: string };

export type RowResult = { ok: true; records: MappedRecord[] } | { ok: false; problem: RowProblem };
export type CellsResult = { ok: true; records: MappedCells[] } | { ok: false; problem: RowProblem };

/** A mapping compiled against one file's header: a fast function from a CSV row to records. */
export type CompiledMapping = {
  kind: MappingKind;
  /** Per record mapping (a row may yield several, e.g. an SDR and a closer): fields set only on insert. */
  insertOnly: ReadonlyArray<ReadonlySet<string>>;
  /** Every field any record mapping sets. */
  fields: readonly string[];
  /** Per record mapping: the keys of its records' `values`, in order (one array each). */
  recordFields: ReadonlyArray<readonly string[]>;
  map: (row: readonly string[]) => RowResult;
  /** `map` with each record as cells (the importer's path; `map` is built on it). */
  mapCells: (row: readonly string[]) => CellsResult;
};

type Getter = (row: readonly string[]) => string | null;
type Convert = (text: string) => FieldValue | Bad;

const statusSet = new Set<string>(leadStatuses);
const eventKindSet = new Set<string>(leadEventKinds);

/**
 * Compiles `mapping` for `kind` against a header row. Throws (before any row is read) when a column
 * the mapping needs is missing, naming it.
 */
export function compileMapping(options: {
  mapping: MappingFile;
  kind: MappingKind;
  header: readonly string[];
  timeZone: string;
  file?: string;
}): CompiledMapping {
  const { mapping, kind, header } = options;
  const entity = mapping.entities[kind];
  if (!entity) {
    throw new AppError('bad_input', `mapping "${mapping.name}" has no ${kind} mapping`, {
      location: { file: options.file },
    });
  }
  const records = Array.isArray(entity) ? entity : [entity];
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.trim();
    if (!index.has(key)) index.set(key, i);
  });
  const missing = new Set<string>();
  const ctx: CompileContext = { mapping, index, missing, timeZone: options.timeZone };
  const compiled = records.map((record) => compileRecord(ctx, kind, record, header));
  if (missing.size > 0) {
    const list = [...missing];
    throw new AppError(
      'bad_input',
      `missing required column${list.length > 1 ? 's' : ''} ${list.map((c) => `"${c}"`).join(', ')}; nothing was imported`,
      { location: { file: options.file, line: 1, field: list[0] } },
    );
  }
  const width = header.length;
  const mapCells = (row: readonly string[]): CellsResult => {
    if (row.length !== width) {
      return {
        ok: false,
        problem: { field: '(row)', reason: `expected ${width} columns, found ${row.length}` },
      };
    }
    const out: MappedCells[] = [];
    for (let m = 0; m < compiled.length; m++) {
      const result = (compiled[m] as CompiledRecord).map(row, m);
      if (result === null) continue;
      if ('field' in result) return { ok: false, problem: result };
      out.push(result);
    }
    return { ok: true, records: out };
  };
  return {
    kind,
    insertOnly: compiled.map((c) => c.insertOnly),
    fields: [...new Set(compiled.flatMap((c) => c.fields))],
    recordFields: compiled.map((c) => c.fields),
    mapCells,
    map: (row) => {
      const result = mapCells(row);
      if (!result.ok) return result;
      return {
        ok: true,
        records: result.records.map((r) => ({
          values: recordValues((compiled[r.mapping] as CompiledRecord).fields, r.cells),
          extra: r.extra,
        })),
      };
    },
  };
}

/** A record's cells as field → value. */
export function recordValues(
  fields: readonly string[],
  cells: readonly FieldValue[],
): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (let i = 0; i < fields.length; i++) values[fields[i] as string] = cells[i] as FieldValue;
  return values;
}

type CompileContext = {
  mapping: MappingFile;
  index: Map<string, number>;
  missing: Set<string>;
  timeZone: string;
};

type CompiledRecord = {
  fields: string[];
  insertOnly: Set<string>;
  map: (row: readonly string[], mapping: number) => MappedCells | RowProblem | null;
};

function compileRecord(
  ctx: CompileContext,
  kind: MappingKind,
  record: RecordMapping,
  header: readonly string[],
): CompiledRecord {
  const defs: Record<string, FieldDef> = entityFields[kind];
  const used = new Set<string>();
  const fieldFns: Array<{ name: string; get: (row: readonly string[]) => FieldValue | Bad }> = [];
  const insertOnly = new Set<string>();
  for (const [name, spec] of Object.entries(record.fields)) {
    const def = defs[name];
    if (!def) throw new AppError('bad_input', `"${name}" is not a ${kind} field`);
    if (typeof spec !== 'string' && spec.insertOnly) insertOnly.add(name);
    fieldFns.push({ name, get: compileField({ ctx, spec, def, used }) });
  }
  const extraColumns =
    record.extra === '*'
      ? header.map((h) => h.trim()).filter((h) => !used.has(h))
      : (record.extra ?? []).filter((h) => ctx.index.has(h));
  const extraIdx = extraColumns.map((h) => ctx.index.get(h) ?? -1);
  const empties = new Set(ctx.mapping.empty ?? []);
  const skipIfEmpty = record.skipIfEmpty ?? [];
  const fields = fieldFns.map((f) => f.name);
  const requiredNames = [
    ...new Set(
      Object.entries(record.fields)
        .filter(([name, spec]) => defs[name]?.required || (typeof spec !== 'string' && spec.required))
        .map(([name]) => name),
    ),
  ];
  // By cell index (-1: a field the record does not set, which reads as missing).
  const skipIdx = skipIfEmpty.map((name) => fields.indexOf(name));
  const requiredIdx = requiredNames.map((name) => fields.indexOf(name));
  const n = fieldFns.length;
  return {
    fields,
    insertOnly,
    map: (row, mapping) => {
      const cells: FieldValue[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const f = fieldFns[i] as (typeof fieldFns)[number];
        const v = f.get(row);
        if (isBad(v)) return { field: f.name, reason: v.bad };
        cells[i] = v;
      }
      for (const i of skipIdx) if (i < 0 || cells[i] === null) return null;
      for (let r = 0; r < requiredIdx.length; r++) {
        const i = requiredIdx[r] as number;
        if (i >= 0 && cells[i] === null) return { field: requiredNames[r] as string, reason: 'is empty' };
      }
      let extra: string | null = null;
      if (extraIdx.length > 0) {
        const obj: Record<string, string> = {};
        let any = false;
        for (let i = 0; i < extraIdx.length; i++) {
          const cell = row[extraIdx[i] ?? -1]?.trim();
          if (cell && !empties.has(cell)) {
            obj[extraColumns[i] as string] = cell;
            any = true;
          }
        }
        if (any) extra = JSON.stringify(obj);
      }
      return { mapping, cells, extra };
    },
  };
}

function compileField(options: {
  ctx: CompileContext;
  spec: FieldSpec;
  def: FieldDef;
  used: Set<string>;
}): (row: readonly string[]) => FieldValue | Bad {
  const { ctx, def, used } = options;
  const spec = typeof options.spec === 'string' ? { column: options.spec } : options.spec;
  const empties = new Set([...(ctx.mapping.empty ?? []), ...(spec.empty ?? [])]);
  const clean = (cell: string | undefined): string | null => {
    if (cell === undefined) return null;
    const t = cell.trim();
    return t === '' || empties.has(t) ? null : t;
  };
  const columnIndex = (name: string): number | undefined => {
    used.add(name);
    const i = ctx.index.get(name);
    if (i === undefined && !spec.optional) ctx.missing.add(name);
    return i;
  };

  let get: Getter;
  if (spec.const !== undefined) {
    const c =
      spec.const === null
        ? null
        : typeof spec.const === 'boolean'
          ? spec.const
            ? '1'
            : '0'
          : String(spec.const);
    get = () => c;
  } else if (spec.column !== undefined) {
    const i = columnIndex(spec.column);
    get = i === undefined ? () => null : (row) => clean(row[i]);
  } else if (spec.columns !== undefined) {
    const idx = spec.columns.map(columnIndex);
    const sep = spec.separator ?? ' ';
    get = (row) => {
      const parts: string[] = [];
      for (const i of idx) {
        const v = i === undefined ? null : clean(row[i]);
        if (v !== null) parts.push(v);
      }
      return parts.length ? parts.join(sep) : null;
    };
  } else {
    const template = spec.template ?? '';
    const pieces = template.split(/(\{[^}]+\})/).filter((p) => p !== '');
    const parts = pieces.map((p) =>
      p.startsWith('{') && p.endsWith('}') ? { col: columnIndex(p.slice(1, -1)) } : { lit: p },
    );
    get = (row) => {
      let out = '';
      let any = false;
      for (const p of parts) {
        if ('lit' in p) out += p.lit;
        else {
          const v = p.col === undefined ? null : clean(row[p.col]);
          if (v !== null) {
            out += v;
            any = true;
          }
        }
      }
      return any ? out : null;
    };
  }

  const isList = def.type === 'list_email' || def.type === 'list_phone';
  if (spec.split && !isList) {
    const { separator, index = 0 } = spec.split;
    const inner = get;
    get = (row) => {
      const v = inner(row);
      if (v === null) return null;
      const parts = v.split(separator);
      const part = parts[index < 0 ? parts.length + index : index]?.trim();
      return part ? part : null;
    };
  }

  const convert = converter({ ctx, spec, def });
  const map = spec.map
    ? new Map(Object.entries(spec.map).map(([k, v]) => [k.trim().toLowerCase(), v]))
    : null;
  const fallback =
    spec.default === undefined
      ? null
      : typeof spec.default === 'boolean'
        ? spec.default
          ? '1'
          : '0'
        : String(spec.default);
  return (row) => {
    let text = get(row);
    if (text === null) {
      if (fallback === null) return null;
      text = fallback;
    }
    if (map) {
      const mapped = map.get(text.toLowerCase());
      if (mapped === undefined) {
        if (spec.mapDefault === undefined) {
          return { bad: `"${text}" is not in the value map (${[...map.keys()].join(', ')})` };
        }
        if (spec.mapDefault === null) return null;
        text = String(spec.mapDefault);
      } else if (mapped === null) return null;
      else text = String(mapped);
    }
    return convert(text);
  };
}

function converter(options: {
  ctx: CompileContext;
  spec: Exclude<FieldSpec, string>;
  def: FieldDef;
}): Convert {
  const { ctx, spec, def } = options;
  const decimal = spec.decimal ? { decimal: spec.decimal } : {};
  const country = (ctx.mapping.phoneCountry ?? 'US') as CountryCode;
  switch (def.type) {
    case 'text':
      return (t) => t;
    case 'number':
      return (t) => parseNumber(t, decimal);
    case 'integer':
      return (t) => parseInteger(t, decimal);
    case 'boolean':
      return (t) => parseBoolean(t);
    case 'email':
      return (t) => normaliseEmail(t);
    case 'phone':
      return (t) => normalisePhone(t, country);
    case 'domain':
      return (t) => normaliseDomain(t);
    case 'date': {
      const own =
        spec.format === undefined ? undefined : Array.isArray(spec.format) ? spec.format : [spec.format];
      const formats = own ?? ctx.mapping.dateFormats;
      const opts = formats ? { formats, zone: ctx.timeZone } : { zone: ctx.timeZone };
      return (t) => parseDate(t, opts);
    }
    case 'status':
      return (t) => {
        const s = t.toLowerCase();
        return statusSet.has(s)
          ? s
          : { bad: `"${t}" is not a lifecycle status (${leadStatuses.join(', ')})` };
      };
    case 'event_kind':
      return (t) => {
        const s = t.toLowerCase();
        return eventKindSet.has(s) ? s : { bad: `"${t}" is not a lead event kind` };
      };
    case 'list_email':
    case 'list_phone': {
      const sep = spec.split?.separator ?? /[;,]/;
      const one = def.type === 'list_email' ? normaliseEmail : (t: string) => normalisePhone(t, country);
      return (t) => {
        const out: string[] = [];
        for (const part of t.split(sep)) {
          const p = part.trim();
          if (!p) continue;
          const v = one(p);
          if (isBad(v)) return v;
          out.push(v);
        }
        return out;
      };
    }
  }
}
