import { createReadStream, readFileSync } from 'node:fs';
import { parse } from 'csv-parse';
import type { Kysely } from 'kysely';
import { AppError, badInput } from '../errors/app-error.ts';
import { compileMapping } from '../import/compile-mapping.ts';
import { readCsvChunks } from '../import/csv-reader.ts';
import type { MappingFile } from '../import/mapping.schema.ts';
import { parseMappingFile } from '../import/mapping-file.ts';
import { describeNoMatch, detectPreset, loadPresets, presetByName } from '../import/presets.ts';
import { projectPath } from '../runtime/project-paths.ts';
import type { Database } from '../store/schema.ts';
import type { CapturedActivity, CapturedParticipant } from './activity.ts';
import type { CaptureEvent } from './capture-run.ts';

/** Call-log presets, in the import engine's mapping-file format (entities.calls). */
export const callPresetsDir = projectPath('src/capture/call-presets/');

/** A mapping for `capture calls`: a shipped preset by name, or a mapping file. */
export function loadCallMapping(options: {
  preset?: string | undefined;
  map?: string | undefined;
}): MappingFile {
  if (options.map) return parseMappingFile(readFileSync(options.map, 'utf8'), options.map);
  if (options.preset && options.preset !== 'auto')
    return presetByName(options.preset, loadPresets(callPresetsDir));
  throw badInput(`give --preset NAME (${callPresetNames().join(', ')}) or --map FILE for the call log`);
}

/**
 * The mapping for a call-log file: the mapping file or named preset when given, else (`--preset
 * auto`, the default) the shipped preset whose identifying columns are all in the file's header.
 * When none fits, the error names the unmatched columns and the closest presets.
 */
export async function callMappingFor(options: {
  file: string;
  preset?: string | undefined;
  map?: string | undefined;
}): Promise<{ mapping: MappingFile; how: 'named' | 'detected' | 'mapping-file' }> {
  if (options.map) return { mapping: loadCallMapping(options), how: 'mapping-file' };
  if (options.preset && options.preset !== 'auto') return { mapping: loadCallMapping(options), how: 'named' };
  const header = await readHeader(options.file);
  const detection = detectPreset({ header, kind: 'calls', presets: loadPresets(callPresetsDir) });
  if (!detection.ok)
    throw new AppError('bad_input', describeNoMatch(detection, 'calls'), {
      location: { file: options.file, line: 1 },
    });
  return { mapping: detection.preset, how: 'detected' };
}

const callPresetNames = (): string[] => loadPresets(callPresetsDir).map((p) => p.name);

/** The first record of a CSV file (its header), read without reading the rest. */
async function readHeader(file: string): Promise<string[]> {
  const input = createReadStream(file, { highWaterMark: 1 << 16 });
  try {
    for await (const chunk of readCsvChunks(input, 1)) {
      const first = chunk.records[0];
      if (first) return first.map((h) => h.trim());
    }
  } catch (error) {
    throw new AppError('bad_input', `cannot read ${file}: ${(error as Error).message}`, {
      location: { file },
      cause: error,
    });
  } finally {
    input.destroy();
  }
  throw new AppError('bad_input', `${file} is empty (no header row)`, { location: { file } });
}

/** Rep name / external id → the address or phone matching knows the rep by. */
export type RepDirectory = Map<string, { email?: string; phone?: string }>;

export async function loadRepDirectory(db: Kysely<Database>): Promise<RepDirectory> {
  const reps = await db.selectFrom('reps').select(['id', 'external_id', 'name', 'email']).execute();
  const phones = await db
    .selectFrom('rep_identities')
    .select(['rep_id', 'value'])
    .where('kind', '=', 'phone')
    .execute();
  const phoneByRep = new Map(phones.map((p) => [p.rep_id, p.value]));
  const directory: RepDirectory = new Map();
  for (const rep of reps) {
    const identity = {
      ...(rep.email ? { email: rep.email } : {}),
      ...(phoneByRep.has(rep.id) ? { phone: phoneByRep.get(rep.id) as string } : {}),
    };
    if (!identity.email && !identity.phone) continue;
    directory.set(rep.external_id.toLowerCase(), identity);
    if (!directory.has(rep.name.toLowerCase())) directory.set(rep.name.toLowerCase(), identity);
  }
  return directory;
}

const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

function repParticipant(
  value: string | null,
  directory: RepDirectory,
): { email?: string; phone?: string } | undefined {
  if (!value) return undefined;
  if (value.includes('@')) return { email: value };
  if (value.replace(/\D/g, '').length >= 7) return { phone: value };
  return directory.get(value.toLowerCase());
}

/**
 * Reads a call-log CSV with a mapping (the import engine compiles it) into call activities:
 * the rep is the caller on outbound calls and the callee on inbound ones. Rows the mapping rejects
 * are reported with their line and field.
 */
export async function* readCalls(input: {
  file: string;
  mapping: MappingFile;
  timeZone: string;
  reps: RepDirectory;
}): AsyncGenerator<CaptureEvent> {
  const { file, mapping } = input;
  const parser = createReadStream(file).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let compiled: ReturnType<typeof compileMapping> | undefined;
  let line = 0;
  for await (const row of parser as AsyncIterable<string[]>) {
    line++;
    if (!compiled) {
      compiled = compileMapping({
        mapping,
        kind: 'calls',
        header: row,
        timeZone: mapping.timeZone ?? input.timeZone,
        file,
      });
      continue;
    }
    const result = compiled.map(row);
    if (!result.ok) {
      yield { rejection: { file, line, reason: `${result.problem.field}: ${result.problem.reason}` } };
      continue;
    }
    const v = result.records[0]?.values;
    if (!v) continue;
    const direction = str(v.direction)?.toLowerCase();
    if (direction !== 'inbound' && direction !== 'outbound') {
      yield {
        rejection: {
          file,
          line,
          reason: `direction: "${String(v.direction)}" is neither inbound nor outbound`,
        },
      };
      continue;
    }
    const startedAt = Number(v.started_at);
    const endedAt = v.ended_at === null || v.ended_at === undefined ? null : Number(v.ended_at);
    const duration =
      v.duration_seconds === null || v.duration_seconds === undefined ? null : Number(v.duration_seconds);
    const rep = repParticipant(str(v.rep), input.reps);
    const counterpart = { phone: str(v.counterpart_phone), email: str(v.counterpart_email) };
    const repRole = direction === 'outbound' ? 'caller' : 'callee';
    const otherRole = direction === 'outbound' ? 'callee' : 'caller';
    const participants: CapturedParticipant[] = [];
    if (rep) participants.push({ role: repRole, ...rep, name: str(v.rep_name) ?? str(v.rep) });
    if (counterpart.phone || counterpart.email) {
      participants.push({
        role: otherRole,
        phone: counterpart.phone,
        email: counterpart.email,
        name: str(v.counterpart_name),
      });
    }
    const activity: CapturedActivity = {
      kind: 'call',
      direction,
      occurredAt: startedAt,
      endedAt: endedAt ?? (duration !== null ? startedAt + duration * 1000 : null),
      durationSeconds: duration ?? (endedAt !== null ? Math.max(0, (endedAt - startedAt) / 1000) : null),
      source: 'calls',
      sourceKey: `${mapping.name}:${String(v.source_key)}`,
      disposition: str(v.disposition),
      participants,
      origin: { file, line },
    };
    yield { activity };
  }
  if (!compiled) yield { rejection: { file, reason: 'the file is empty (no header row)' } };
}
