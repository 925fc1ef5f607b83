import { describe, expect, it } from 'vitest';
import { createKeyFilter } from './key-filter.ts';

describe('key filter', () => {
  it('has every key added and few it was not given', () => {
    const filter = createKeyFilter(200_000);
    const added = Array.from({ length: 200_000 }, (_, i) => `L${String(i).padStart(8, '0')}`);
    for (const k of added) filter.add(k);
    expect(added.every((k) => filter.mayHave(k))).toBe(true);
    const others = Array.from({ length: 200_000 }, (_, i) => `M${i}@example.com`);
    expect(others.filter((k) => filter.mayHave(k)).length).toBeLessThan(20);
    expect(filter.mayHave('')).toBe(false);
  });
});
