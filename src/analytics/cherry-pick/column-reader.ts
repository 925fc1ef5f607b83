import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../runtime/worker-entry.ts';
import type { CherryPickColumns } from './columns.ts';
import type { GroupAssessment } from './detect.ts';
import type { CherryPickReadOptions, ClaimedParts } from './load-columns.ts';
import type { AttributeAssessmentInput } from './report.ts';

export type ColumnReaderRequest =
  | { type: 'read-parts'; id: number; file: string; options: CherryPickReadOptions; parts: ClaimedParts }
  | { type: 'assess'; id: number; input: AttributeAssessmentInput };
export type ColumnReaderReply =
  | { id: number; parts: Array<{ part: number; columns: CherryPickColumns }> }
  | { id: number; assessments: GroupAssessment[] }
  | { id: number; error: string };

type Reader = {
  worker: Worker;
  waiting: Map<number, { resolve: (reply: ColumnReaderReply) => void; reject: (e: Error) => void }>;
};
let reader: Reader | null = null;
let nextId = 1;

/**
 * readClaimedParts of the SQLite store in `file`, run in a worker thread on a read-only connection of
 * its own (one thread per process, started on first use and kept while the process lives, idle
 * without keeping it alive): the parts it claims (`parts.claim` is shared memory, so the calling
 * thread claims parts meanwhile). Rejects when the thread cannot start or fails; the caller can then
 * read the parts it has not got itself.
 */
export async function readPartsInWorker(
  file: string,
  options: CherryPickReadOptions,
  parts: ClaimedParts,
): Promise<Array<{ part: number; columns: CherryPickColumns }>> {
  const reply = await ask((id) => ({ type: 'read-parts', id, file, options, parts }));
  if ('parts' in reply) return reply.parts;
  throw new Error('column reader: unexpected reply');
}

/** assessAttribute in the same worker thread (its input is copied there). */
export async function assessInWorker(input: AttributeAssessmentInput): Promise<GroupAssessment[]> {
  const reply = await ask((id) => ({ type: 'assess', id, input }));
  if ('assessments' in reply) return reply.assessments;
  throw new Error('column reader: unexpected reply');
}

function ask(request: (id: number) => ColumnReaderRequest): Promise<ColumnReaderReply> {
  return new Promise((resolve, reject) => {
    reader ??= startReader();
    const r = reader;
    const id = nextId++;
    r.waiting.set(id, { resolve, reject });
    r.worker.ref();
    r.worker.postMessage(request(id));
  });
}

function startReader(): Reader {
  const worker = startWorker(import.meta.url, 'column-reader-worker');
  const r: Reader = { worker, waiting: new Map() };
  const failAll = (error: Error) => {
    if (reader === r) reader = null;
    for (const w of r.waiting.values()) w.reject(error);
    r.waiting.clear();
  };
  worker.on('message', (reply: ColumnReaderReply) => {
    const entry = r.waiting.get(reply.id);
    if (!entry) return;
    r.waiting.delete(reply.id);
    if (r.waiting.size === 0) worker.unref();
    if ('error' in reply) entry.reject(new Error(`column reader: ${reply.error}`));
    else entry.resolve(reply);
  });
  worker.on('error', (error) => {
    failAll(error);
    void worker.terminate();
  });
  worker.on('exit', (code) => failAll(new Error(`the column reader stopped (exit code ${code})`)));
  worker.unref();
  return r;
}
