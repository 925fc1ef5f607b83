import { describe, expect, it } from 'vitest';
import { packBatch, type RecordShapes, unpackBatch } from './batch-transport.ts';
import type { BatchRecord } from './read-batches.ts';

// What the read worker posts must come back as the very records it read: every kind of cell, two
// record mappings, extras and no extras.
describe('packBatch / unpackBatch', () => {
  it('gives back the records it packed', () => {
    const shapes: RecordShapes = {
      fields: [
        ['external_id', 'name', 'score', 'emails', 'handed_over_at'],
        ['external_id', 'team'],
      ],
      insertOnly: [new Set(['handed_over_at']), new Set()],
    };
    const a = shapes.fields[0] as readonly string[];
    const b = shapes.fields[1] as readonly string[];
    const records: BatchRecord[] = [
      {
        line: 2,
        fields: a,
        cells: ['L1', 'Zoë "Z" Müller, ☃ 😀', 12.5, ['a@x.io', 'b@x.io'], 1_700_000_000_123],
        extra: '{"Notes":"tab\\there"}',
        insertOnly: shapes.insertOnly[0] as ReadonlySet<string>,
        bytes: 120,
        row: 1,
      },
      {
        line: 3,
        fields: b,
        cells: ['R1', ''],
        extra: null,
        insertOnly: shapes.insertOnly[1] as ReadonlySet<string>,
        bytes: 130,
        row: 2,
      },
      {
        line: 5,
        fields: a,
        cells: ['', null, -0.25, [], null],
        extra: null,
        insertOnly: shapes.insertOnly[0] as ReadonlySet<string>,
        bytes: 190,
        row: 4,
      },
    ];
    const packed = packBatch(records, (r) => shapes.fields.indexOf(r.fields));
    const back = unpackBatch(structuredClone(packed), shapes);
    expect(back).toEqual(records);
    expect(back[0]?.fields).toBe(a); // shared, as the writer's per-shape plans expect
    expect(
      unpackBatch(
        packBatch([], () => 0),
        shapes,
      ),
    ).toEqual([]);
  });
});
