// Worker thread entry for src/runtime/worker-entry.test.ts: reports its V8 young generation's size
// as it starts and after allocating enough that surviving objects would have grown it.
import v8 from 'node:v8';
import { parentPort } from 'node:worker_threads';

const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
const atStart = newSpace();
const kept: Array<{ i: number; s: string }> = [];
for (let i = 0; i < 2_000_000; i++) {
  kept.push({ i, s: `x${i}` });
  if (kept.length > 100_000) kept.length = 0;
}
parentPort?.postMessage({ atStart, atEnd: newSpace() });
