/**
 * Loads a directory of marketplace files into Neo4j (docs/ingest.md, "Loading"): streamed,
 * validated, normalised and written in batches (`UNWIND` over a batch's rows, `MERGE`), every
 * record either loaded or rejected with its file, line and reason. MERGE on normalised keys makes
 * a reload change nothing, so an interrupted load is resumed by running it again.
 */
import { basename } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from '../graph/db.ts';
import type { Logger } from '../log.ts';
import { prepareBatch, writeBatch, type PreparedBatch } from './batches.ts';
import { withCompactHeap } from './heap.ts';
import { type RecordKind, validateRecord } from './records.ts';
import { RejectsFile } from './rejects.ts';
import { findInputFiles, readRecords, type InputFile } from './sources.ts';
import { WriteLanes } from './writeLanes.ts';

export interface FileSummary {
  read: number;
  loaded: number;
  rejected: number;
  /** Wall time spent on this kind's file, to see which file a slow load spends its time on. */
  seconds: number;
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

/**
 * Two writer lanes: one per core of a small Neo4j host. Lanes contend only on identifier nodes
 * shared across sellers; a deadlock there is a transient error the driver retries.
 */
const WRITER_LANES = 2;

/**
 * Batches a lane holds: the one it writes and those queued behind it. Reading stops while the
 * lane of the next record is full, so with one batch queued, a lane that waited on the other's
 * commit (a shared node both create) stalled the reader, and the other lane ran dry and idled;
 * more queued batches and TURN_EVERY_MS kept both of Neo4j's cores busier and the load shorter
 * (measured: bench/RESULTS.md, "Measurements that used to live in code comments").
 */
const LANE_DEPTH = 3;

/** Longest stretch of reading without letting Neo4j's replies in (see loadFile). */
const TURN_EVERY_MS = 2;

/** Loads every input file of `dir` (sources.ts) in a bounded heap (heap.ts). */
export async function ingestDirectory(db: Db, dir: string, options: IngestOptions): Promise<IngestSummary> {
  return withCompactHeap(() => loadDirectory(db, dir, options));
}

async function loadDirectory(db: Db, dir: string, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const files = findInputFiles(dir);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const rejects = await RejectsFile.open(options.rejectsFile);
  const summary: IngestSummary = { files: {}, rejectsFile: options.rejectsFile, seconds: 0 };
  const bytesTotal = files.reduce((sum, f) => sum + f.bytes, 0);
  let bytesBefore = 0;
  let records = 0;
  try {
    for (const file of files) {
      const counts = (summary.files[file.kind] ??= { read: 0, loaded: 0, rejected: 0, seconds: 0 });
      const fileStarted = performance.now();
      const progress = (bytesInFile: number, recordsInFile: number) => {
        options.onProgress?.({ kind: file.kind, file: file.path, bytesDone: bytesBefore + bytesInFile, bytesTotal, records: records + recordsInFile });
      };
      await loadFile(file, { db, batchSize, rejects, counts, progress });
      counts.seconds = Math.round((performance.now() - fileStarted) / 10) / 100;
      bytesBefore += file.bytes;
      records += counts.read;
      options.logger?.info({ kind: file.kind, file: basename(file.path), ...counts }, 'file loaded');
    }
  } finally {
    await rejects.close();
  }
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  return summary;
}

/** What loading one file needs besides the file. */
interface FileLoad {
  db: Db;
  batchSize: number;
  rejects: RejectsFile;
  /** The counts of the file's kind, added to as records are read, loaded and rejected. */
  counts: FileSummary;
  /** Called with the bytes of the file read and the records of its kind read so far. */
  progress: (bytes: number, records: number) => void;
}

type LaneItem = { line: number; record: unknown };

/**
 * Reads, validates and loads one file through the writer lanes (writeLanes.ts), by seller id: a
 * seller's records commit in file order, so a later record of the same seller or listing wins.
 */
async function loadFile(file: InputFile, load: FileLoad): Promise<void> {
  const { db, counts, progress } = load;
  const fileName = basename(file.path);
  let bytes = 0;

  const reject = async (line: number, reason: string, record: string) => {
    counts.rejected += 1;
    await load.rejects.add({ file: fileName, line, reason, record });
  };

  const lanes = new WriteLanes<LaneItem, { batch: PreparedBatch; bytesSoFar: number }>({
    lanes: WRITER_LANES,
    depth: LANE_DEPTH,
    batchSize: load.batchSize,
    prepare: async (items) => {
      const bytesSoFar = bytes;
      return { batch: await prepareBatch(db, file.kind, items, reject), bytesSoFar };
    },
    write: async ({ batch, bytesSoFar }) => {
      // Not `counts.loaded += await …`: that reads counts.loaded before the await, while the
      // other lanes are still adding to it.
      const written = await writeBatch(db, file.kind, batch);
      counts.loaded += written;
      progress(bytesSoFar, counts.read);
    },
  });

  // Reading, validating and normalising run on the one JS thread, and a file's chunk is read and
  // parsed without a turn of the event loop; Neo4j's replies (a batch's result, its commit) would
  // wait for the rest of the chunk while that lane's Neo4j worker idles. A turn every few
  // milliseconds sends a lane its next message at once.
  let lastTurn = performance.now();
  try {
    for await (const raw of readRecords(file)) {
      if ((counts.read & 63) === 0 && performance.now() - lastTurn > TURN_EVERY_MS) {
        await nextTurn();
        lastTurn = performance.now();
      }
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
      await lanes.add((result.record as { seller_id: string }).seller_id, { line: raw.line, record: result.record });
    }
    await lanes.close();
  } finally {
    await lanes.settled();
  }
  progress(file.bytes, counts.read);
}
