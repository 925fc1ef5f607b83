import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { leadEventKinds, leadStatuses } from '../domain/words.ts';
import { AppError } from '../errors/app-error.ts';
import { entityFields, type FieldDef, type MappingKind, mappingKinds } from './entities.ts';
import { FieldSpec, MappingFile, type RecordMapping } from './mapping.schema.ts';
import { isValidZone } from './values.ts';

type Path = ReadonlyArray<string | number>;

/**
 * Parses and validates a mapping file's text. Every error names the file, the line (and column)
 * of the offending value and its path, e.g. `map.json:12:18, field "entities.leads.fields.status.map"`.
 */
export function parseMappingFile(textContent: string, file: string): MappingFile {
  const errors: ParseError[] = [];
  const tree = parseTree(textContent, errors, { allowTrailingComma: false, disallowComments: false });
  const lineOf = lineLocator(textContent);
  const first = errors[0];
  if (first || !tree) {
    const at = first ? lineOf(first.offset) : { line: 1, column: 1 };
    throw new AppError(
      'bad_input',
      `invalid JSON: ${first ? printParseErrorCode(first.error) : 'empty file'}`,
      {
        location: { file, ...at },
      },
    );
  }
  const raw: unknown = JSON.parse(stripComments(textContent, tree));
  const locate = (path: Path) => {
    const node = nearestNode(tree, path);
    return { file, ...lineOf(node.offset), field: path.join('.') || '(top level)' };
  };
  const parsed = MappingFile.safeParse(raw);
  if (!parsed.success) {
    const issue = deepestIssue(parsed.error.issues[0] as Issue | undefined, []);
    throw new AppError('bad_input', issue.message, { location: locate(issue.path) });
  }
  checkSemantics(parsed.data, (path, message) => {
    throw new AppError('bad_input', message, { location: locate(path) });
  });
  return parsed.data;
}

type Issue = { message: string; path: PropertyKey[]; code?: string; errors?: Issue[][] };

/** A union's error points at the union; the branch that got furthest says what is really wrong. */
function deepestIssue(issue: Issue | undefined, prefix: Path): { message: string; path: Path } {
  if (!issue) return { message: 'invalid mapping', path: prefix };
  const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return { message: issue.message, path };
  const candidates = issue.errors.flatMap((branch) => branch.map((i) => deepestIssue(i, path)));
  candidates.sort((a, b) => b.path.length - a.path.length);
  return candidates[0] ?? { message: issue.message, path };
}

/** Mapping rules zod cannot see: known fields per kind, valid statuses, event kinds, zones. */
function checkSemantics(mapping: MappingFile, fail: (path: Path, message: string) => never): void {
  if (mapping.timeZone && !isValidZone(mapping.timeZone)) {
    fail(['timeZone'], `unknown time zone "${mapping.timeZone}" (use an IANA name such as "Europe/Berlin")`);
  }
  for (const kind of mappingKinds) {
    const entity = mapping.entities[kind];
    if (!entity) continue;
    const records = Array.isArray(entity) ? entity : [entity];
    records.forEach((record, i) => {
      const base: Path = Array.isArray(entity) ? ['entities', kind, i] : ['entities', kind];
      checkRecord({ kind, record, base, fail });
    });
  }
}

function checkRecord(options: {
  kind: MappingKind;
  record: RecordMapping;
  base: Path;
  fail: (path: Path, message: string) => never;
}): void {
  const { kind, record, base, fail } = options;
  const known: Record<string, FieldDef> = entityFields[kind];
  for (const [name, spec] of Object.entries(record.fields)) {
    const def = known[name];
    const path = [...base, 'fields', name];
    if (!def) {
      fail(path, `"${name}" is not a ${kind} field; known fields: ${Object.keys(known).join(', ')}`);
      continue;
    }
    if (typeof spec === 'string') continue;
    const allowed = def.type === 'status' ? leadStatuses : def.type === 'event_kind' ? leadEventKinds : null;
    if (allowed) {
      const check = (value: unknown, at: Path) => {
        if (typeof value === 'string' && !(allowed as readonly string[]).includes(value)) {
          fail(at, `"${value}" is not one of ${allowed.join(', ')}`);
        }
      };
      for (const [from, to] of Object.entries(spec.map ?? {})) check(to, [...path, 'map', from]);
      check(spec.const, [...path, 'const']);
      // A default is a cell value: it goes through the map when there is one.
      if (!spec.map) check(spec.default, [...path, 'default']);
      check(spec.mapDefault, [...path, 'mapDefault']);
    }
  }
  for (const [name, def] of Object.entries(known)) {
    if (def.required && !(name in record.fields)) {
      fail([...base, 'fields'], `the ${kind} mapping needs the field "${name}"`);
    }
  }
}

// Re-exported so presets and tests validate field specs the same way.
export { FieldSpec };

function lineLocator(textContent: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < textContent.length; i++) if (textContent[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  };
}

/** The node at `path`, or its nearest existing ancestor (a missing key points at its object). */
function nearestNode(tree: Node, path: Path): Node {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, path.slice(0, n) as (string | number)[]);
    if (node) {
      // A property's value node is reported; for a missing child the parent object is right.
      return node;
    }
  }
  return tree;
}

/** JSON.parse cannot read comments: rebuild the value from the tree jsonc-parser already made. */
function stripComments(textContent: string, tree: Node): string {
  return JSON.stringify(nodeValue(tree, textContent));
}

function nodeValue(node: Node, textContent: string): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v) out[String(k.value)] = nodeValue(v, textContent);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((c) => nodeValue(c, textContent));
    default:
      return node.value;
  }
}
