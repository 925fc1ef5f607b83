// Worker thread entry (node:worker_threads): reads parts of the cherry-pick lead columns on a
// read-only connection of its own while the calling thread reads the others, and assesses one
// attribute's groups while the calling thread does the others (column-reader.ts). An extra entry
// point of the CLI bundle (scripts/cli-bundle.mjs).
import { parentPort } from 'node:worker_threads';
import { openSqliteReader } from '../../store/open-store.ts';
import type { ColumnReaderReply, ColumnReaderRequest } from './column-reader.ts';
import { readClaimedParts } from './load-columns.ts';
import { assessAttribute } from './report.ts';

const port = parentPort;
if (!port) throw new Error('column-reader-worker.ts runs as a worker thread');

const failed = (id: number, error: unknown): ColumnReaderReply => ({
  id,
  error: error instanceof Error ? (error.stack ?? error.message) : String(error),
});

port.on('message', (request: ColumnReaderRequest) => {
  if (request.type === 'assess') {
    try {
      port.postMessage({
        id: request.id,
        assessments: assessAttribute(request.input),
      } satisfies ColumnReaderReply);
    } catch (error) {
      port.postMessage(failed(request.id, error));
    }
    return;
  }
  void (async () => {
    let db: ReturnType<typeof openSqliteReader> | undefined;
    try {
      db = openSqliteReader(request.file);
      const parts = await readClaimedParts(db, request.options, request.parts);
      // Each typed array's memory moves to the calling thread (no copy).
      const buffers = new Set<ArrayBuffer>();
      for (const p of parts)
        for (const v of Object.values(p.columns))
          if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
      port.postMessage({ id: request.id, parts } satisfies ColumnReaderReply, [...buffers]);
    } catch (error) {
      port.postMessage(failed(request.id, error));
    } finally {
      await db?.destroy();
    }
  })();
});
