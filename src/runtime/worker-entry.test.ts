import { describe, expect, it } from 'vitest';
import { startWorker } from './worker-entry.ts';

const probe = async (youngGenerationMb?: number) => {
  const worker = startWorker(
    new URL('../testing/x.ts', import.meta.url).href,
    'heap-probe-worker',
    youngGenerationMb === undefined ? {} : { youngGenerationMb },
  );
  const sizes = await new Promise<{ atStart: number; atEnd: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await new Promise((resolve) => worker.once('exit', resolve));
  return sizes;
};

describe('startWorker youngGenerationMb', () => {
  it('starts the worker with its whole young generation, capped at the size given', async () => {
    const held = await probe(8);
    expect(held.atStart).toBe(held.atEnd);
    expect(held.atEnd).toBeLessThanOrEqual(8 * 1024 * 1024);
    // Without it the young generation starts small and grows past that size.
    const free = await probe();
    expect(free.atStart).toBeLessThan(free.atEnd);
    expect(free.atEnd).toBeGreaterThan(8 * 1024 * 1024);
  });
});
