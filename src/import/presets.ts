import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors/app-error.ts';
import { projectPath } from '../runtime/project-paths.ts';
import type { MappingKind } from './entities.ts';
import type { FieldSpec, MappingFile } from './mapping.schema.ts';
import { parseMappingFile } from './mapping-file.ts';

export const presetsDir = projectPath('src/import/presets/');

/** Every preset shipped in src/import/presets, validated like a user's mapping file. */
export function loadPresets(dir: string = presetsDir): MappingFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseMappingFile(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}

export type Detection =
  | { ok: true; preset: MappingFile }
  | {
      ok: false;
      /** Header columns no preset for this kind knows. */
      unmatched: string[];
      /** Presets ranked by how many of their identifying columns the header has. */
      closest: Array<{ name: string; present: number; of: number; missing: string[] }>;
    };

/** Picks the preset whose identifying columns all appear in the header (the most specific wins). */
export function detectPreset(options: {
  header: readonly string[];
  kind: MappingKind;
  presets: readonly MappingFile[];
}): Detection {
  const header = new Set(options.header.map((h) => h.trim()));
  const candidates = options.presets.filter((p) => p.entities[options.kind] && p.detect?.length);
  const scored = candidates
    .map((p) => {
      const detect = p.detect ?? [];
      const missing = detect.filter((c) => !header.has(c));
      return { preset: p, present: detect.length - missing.length, of: detect.length, missing };
    })
    .sort((a, b) => b.present / b.of - a.present / a.of || b.of - a.of);
  const full = scored.filter((s) => s.missing.length === 0);
  if (full.length > 0) {
    full.sort((a, b) => b.of - a.of);
    return { ok: true, preset: (full[0] as (typeof full)[number]).preset };
  }
  const known = new Set(candidates.flatMap((p) => columnsOf(p, options.kind)));
  return {
    ok: false,
    unmatched: [...header].filter((h) => !known.has(h)),
    closest: scored
      .filter((s) => s.present > 0)
      .slice(0, 3)
      .map((s) => ({ name: s.preset.name, present: s.present, of: s.of, missing: s.missing })),
  };
}

/** The columns a preset reads for one kind (detection columns included). */
export function columnsOf(mapping: MappingFile, kind: MappingKind): string[] {
  const entity = mapping.entities[kind];
  const records = entity ? (Array.isArray(entity) ? entity : [entity]) : [];
  const cols = new Set<string>(mapping.detect ?? []);
  const add = (spec: FieldSpec) => {
    if (typeof spec === 'string') {
      cols.add(spec);
      return;
    }
    if (spec.column) cols.add(spec.column);
    for (const c of spec.columns ?? []) cols.add(c);
    for (const m of spec.template?.matchAll(/\{([^}]+)\}/g) ?? []) if (m[1]) cols.add(m[1]);
  };
  for (const r of records) {
    Object.values(r.fields).forEach(add);
    if (Array.isArray(r.extra)) for (const c of r.extra) cols.add(c);
  }
  return [...cols];
}

export function presetByName(name: string, presets: readonly MappingFile[]): MappingFile {
  const preset = presets.find((p) => p.name === name);
  if (!preset) {
    throw new AppError(
      'bad_input',
      `unknown preset "${name}"; presets: auto, ${presets.map((p) => p.name).join(', ')}`,
    );
  }
  return preset;
}

/** The one-line-per-fact message when no preset fits a header. */
export function describeNoMatch(detection: Extract<Detection, { ok: false }>, kind: MappingKind): string {
  const closest = detection.closest.length
    ? detection.closest
        .map(
          (c) =>
            `${c.name} (${c.present}/${c.of} columns; missing ${c.missing.map((m) => `"${m}"`).join(', ')})`,
        )
        .join('; ')
    : 'none';
  const unmatched = detection.unmatched
    .slice(0, 20)
    .map((c) => `"${c}"`)
    .join(', ');
  return `no ${kind} preset fits this header; unmatched columns: ${unmatched || '(none)'}; closest presets: ${closest}; pass --preset NAME or --map mapping.json`;
}
