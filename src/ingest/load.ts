/**
 * Loads a directory of marketplace files into Neo4j: streamed, validated, normalised and written
 * in batches (`UNWIND $rows … MERGE`), every record either loaded or rejected with its file, line
 * and reason. MERGE on normalised keys makes a reload change nothing, so an interrupted load is
 * resumed by running it again.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Db } from '../graph/db.ts';
import type { Logger } from '../log.ts';
import { toGraphRow, type GraphRow } from './graphRows.ts';
import { type RecordKind, validateRecord } from './records.ts';
import { findInputFiles, readRecords, type InputFile } from './sources.ts';

export interface FileSummary {
  read: number;
  loaded: number;
  rejected: number;
}

export interface IngestSummary {
  files: Partial<Record<RecordKind, FileSummary>>;
  rejectsFile: string;
  seconds: number;
}

export interface IngestProgress {
  kind: RecordKind;
  file: string;
  bytesDone: number;
  bytesTotal: number;
  records: number;
}

export interface IngestOptions {
  /** Records per write transaction. */
  batchSize?: number;
  /** Where rejected records go, one JSON line each. */
  rejectsFile: string;
  onProgress?: (progress: IngestProgress) => void;
  logger?: Logger;
}

/**
 * 5,000 rows a transaction: large enough that round trips do not dominate, small enough that a
 * batch's transaction state stays well inside a 1 GiB heap and a retry repeats little work.
 */
export const DEFAULT_BATCH_SIZE = 5000;

interface Reject {
  file: string;
  line: number;
  reason: string;
  record: string;
}

export async function ingestDirectory(db: Db, dir: string, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const files = findInputFiles(dir);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  await mkdir(dirname(options.rejectsFile), { recursive: true });
  const rejects = createWriteStream(options.rejectsFile, { flags: 'w' });
  const summary: IngestSummary = { files: {}, rejectsFile: options.rejectsFile, seconds: 0 };
  const bytesTotal = files.reduce((sum, f) => sum + f.bytes, 0);
  let bytesBefore = 0;
  let records = 0;
  try {
    for (const file of files) {
      const counts = (summary.files[file.kind] ??= { read: 0, loaded: 0, rejected: 0 });
      await loadFile(db, file, batchSize, counts, rejects, (bytesInFile, recordsInFile) => {
        options.onProgress?.({ kind: file.kind, file: file.path, bytesDone: bytesBefore + bytesInFile, bytesTotal, records: records + recordsInFile });
      });
      bytesBefore += file.bytes;
      records += counts.read;
      options.logger?.info({ kind: file.kind, file: basename(file.path), ...counts }, 'file loaded');
    }
  } finally {
    rejects.end();
    await finished(rejects);
  }
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  return summary;
}

async function loadFile(
  db: Db,
  file: InputFile,
  batchSize: number,
  counts: FileSummary,
  rejects: WriteStream,
  progress: (bytes: number, records: number) => void,
): Promise<void> {
  const fileName = basename(file.path);
  let batch: { line: number; record: unknown }[] = [];
  let bytes = 0;

  const reject = async (line: number, reason: string, record: string) => {
    counts.rejected += 1;
    const entry: Reject = { file: fileName, line, reason, record };
    if (!rejects.write(`${JSON.stringify(entry)}\n`)) await new Promise<void>((resolve) => rejects.once('drain', () => resolve()));
  };

  // One write in flight while the next batch is read and validated: parsing overlaps Neo4j's work,
  // and batches still commit in file order (a later duplicate id still wins).
  // A failed write is kept and rethrown at the next wait, never left as an unhandled rejection.
  let inFlight: Promise<void> = Promise.resolve();
  let failure: unknown;
  const settle = async () => {
    await inFlight;
    if (failure !== undefined) throw failure;
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const bytesSoFar = bytes;
    await settle();
    inFlight = writeBatch(db, file.kind, current, reject).then(
      (written) => {
        counts.loaded += written;
        progress(bytesSoFar, counts.read);
      },
      (error: unknown) => {
        failure = error;
      },
    );
  };

  try {
    for await (const raw of readRecords(file)) {
      counts.read += 1;
      bytes += raw.bytes;
      if ('error' in raw) {
        await reject(raw.line, raw.error, raw.text);
        continue;
      }
      const result = validateRecord(file.kind, raw.value);
      if (!result.ok) {
        await reject(raw.line, result.reason, raw.text);
        continue;
      }
      batch.push({ line: raw.line, record: result.record });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await inFlight;
  }
  if (failure !== undefined) throw failure;
  progress(file.bytes, counts.read);
}

/** Writes one batch in one transaction; returns how many records it loaded. */
async function writeBatch(
  db: Db,
  kind: RecordKind,
  batch: { line: number; record: unknown }[],
  reject: (line: number, reason: string, record: string) => Promise<void>,
): Promise<number> {
  const countries = new Map<string, string>();
  if (kind === 'shipping_links') {
    const sellerIds = [...new Set(batch.map((b) => (b.record as { seller_id: string }).seller_id))];
    for (const row of await db.read('ingest/seller_countries', { sellerIds }, { app: 'ingest' })) {
      countries.set(String(row.sellerId), String(row.country));
    }
  }
  const rows: GraphRow[] = [];
  for (const { line, record } of batch) {
    const row = toGraphRow(kind, record as never, (id) => countries.get(id));
    if (kind === 'shipping_links' && row.carrierAccountKey === null && row.phoneKey === null && row.originKey === null) {
      await reject(line, 'carrier_account and sender_phone hold no usable identifier and there is no origin', JSON.stringify(record).slice(0, 500));
      continue;
    }
    rows.push(row);
  }
  if (rows.length > 0) await db.write(`ingest/${kind}`, { rows }, { app: 'ingest', kind });
  return rows.length;
}

