/**
 * Loads a directory of marketplace files into Neo4j: streamed, validated, normalised and written
 * in batches (`UNWIND` over a batch's rows, `MERGE`), every record either loaded or rejected with its file, line
 * and reason. MERGE on normalised keys makes a reload change nothing, so an interrupted load is
 * resumed by running it again.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { compareStrings } from '../analysis/order.ts';
import type { Db } from '../graph/db.ts';
import type { Logger } from '../log.ts';
import { toGraphRow, type GraphRow } from './graphRows.ts';
import { withCompactHeap } from './heap.ts';
import { type RecordKind, validateRecord } from './records.ts';
import { findInputFiles, readRecords, type InputFile } from './sources.ts';

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
  /** Write transactions in flight at once (lanes by seller id). */
  writers?: number;
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
 * Two writers: one per core of a small Neo4j host. Lanes contend only on identifier nodes shared
 * across sellers; a deadlock there is a transient error the driver retries.
 */
export const DEFAULT_WRITERS = 2;

/**
 * Batches a lane holds: the one it writes and those queued behind it (see loadFile). Reading
 * stops while the lane of the next record is full, so with one batch queued, a lane that waited
 * on the other's commit (a shared node both create) stalled the reader, and the other lane ran
 * dry and idled. Listings at 1M sellers: 1.56 of the 2 cores busy, 392 s; two queued, 1.69 and
 * 367 s; with TURN_EVERY_MS as well, 1.84–1.88 and 330–340 s (bench/RESULTS.md).
 */
const LANE_DEPTH = 3;

/** Longest stretch of reading without letting Neo4j's replies in (see loadFile). */
const TURN_EVERY_MS = 2;

interface Reject {
  file: string;
  line: number;
  reason: string;
  record: string;
}

/** Loads every input file of `dir` (sources.ts) in a bounded heap (heap.ts). */
export async function ingestDirectory(db: Db, dir: string, options: IngestOptions): Promise<IngestSummary> {
  return withCompactHeap(() => loadDirectory(db, dir, options));
}

async function loadDirectory(db: Db, dir: string, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const files = findInputFiles(dir);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const writers = options.writers ?? DEFAULT_WRITERS;
  await mkdir(dirname(options.rejectsFile), { recursive: true });
  const rejects = createWriteStream(options.rejectsFile, { flags: 'w' });
  const summary: IngestSummary = { files: {}, rejectsFile: options.rejectsFile, seconds: 0 };
  const bytesTotal = files.reduce((sum, f) => sum + f.bytes, 0);
  let bytesBefore = 0;
  let records = 0;
  try {
    for (const file of files) {
      const counts = (summary.files[file.kind] ??= { read: 0, loaded: 0, rejected: 0, seconds: 0 });
      const fileStarted = performance.now();
      await loadFile(db, file, batchSize, writers, counts, rejects, (bytesInFile, recordsInFile) => {
        options.onProgress?.({ kind: file.kind, file: file.path, bytesDone: bytesBefore + bytesInFile, bytesTotal, records: records + recordsInFile });
      });
      counts.seconds = Math.round((performance.now() - fileStarted) / 10) / 100;
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
  writers: number,
  counts: FileSummary,
  rejects: WriteStream,
  progress: (bytes: number, records: number) => void,
): Promise<void> {
  const fileName = basename(file.path);
  let bytes = 0;

  const reject = async (line: number, reason: string, record: string) => {
    counts.rejected += 1;
    const entry: Reject = { file: fileName, line, reason, record };
    if (!rejects.write(`${JSON.stringify(entry)}\n`)) await new Promise<void>((resolve) => rejects.once('drain', () => resolve()));
  };

  // Records go to lanes by seller id. Each lane writes one batch at a time, in file order, and
  // keeps up to LANE_DEPTH - 1 batches queued behind it, so reading goes on into the other lanes
  // while a lane is busy (at most writers × (LANE_DEPTH + 1) batches in memory). Two lanes keep
  // both of Neo4j's cores busy; a seller's records stay in one lane and commit in file order, so a
  // later record of the same seller or listing still wins. A batch is turned into statement
  // parameters (normalised) as soon as it is full, while its lane is still writing the one before,
  // so that a lane sends its next batch the moment the last one commits. A failed write is kept
  // and rethrown at the next wait, never left as an unhandled rejection; the writes queued behind
  // it are skipped.
  const lanes = Array.from({ length: writers }, () => ({ batch: [] as { line: number; record: unknown }[], writes: [] as Promise<void>[] }));
  let failure: unknown;
  const flush = async (lane: (typeof lanes)[number]) => {
    if (lane.batch.length === 0) return;
    const current = lane.batch;
    lane.batch = [];
    const bytesSoFar = bytes;
    while (lane.writes.length >= LANE_DEPTH) await lane.writes[0];
    if (failure !== undefined) throw failure;
    const previous = lane.writes.at(-1) ?? Promise.resolve();
    const prepared = prepareBatch(db, file.kind, current, reject);
    prepared.catch(() => {}); // awaited below, in the lane's turn; its failure is reported there
    const write = previous
      .then(async () => {
        try {
          // Settled in the lane's turn even after a failure, so that it never writes a reject
          // after the load has ended.
          const batch = await prepared;
          if (failure !== undefined) return;
          // Not `counts.loaded += await …`: that reads counts.loaded before the await, while the
          // other lanes are still adding to it.
          const written = await writeBatch(db, file.kind, batch);
          counts.loaded += written;
          progress(bytesSoFar, counts.read);
        } catch (error: unknown) {
          failure ??= error;
        }
      })
      .finally(() => {
        lane.writes.shift(); // writes of a lane settle in order: this is the oldest
      });
    lane.writes.push(write);
  };

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
      const lane = lanes[laneOf((result.record as { seller_id: string }).seller_id, writers)]!;
      lane.batch.push({ line: raw.line, record: result.record });
      if (lane.batch.length >= batchSize) await flush(lane);
    }
    for (const lane of lanes) await flush(lane);
  } finally {
    await Promise.all(lanes.flatMap((lane) => lane.writes));
  }
  if (failure !== undefined) throw failure;
  progress(file.bytes, counts.read);
}

/** A stable lane for a seller id (FNV-1a), so that all of one seller's records share a lane. */
function laneOf(sellerId: string, lanes: number): number {
  if (lanes === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < sellerId.length; i++) hash = Math.imul(hash ^ sellerId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}

/**
 * Links to shared identifiers.
 *
 * The relationships from a seller (or listing) to a shared identifier node — PAYS_INTO,
 * USES_ADDRESS, HAS_PHONE, SHIPS_WITH, SENDS_FROM_PHONE, SHIPS_FROM, HAS_IMAGE — are not written
 * with MERGE. MERGE on a relationship takes exclusive locks on both its nodes until the
 * transaction commits, so the two writer lanes, which meet on the same payment aggregator or
 * fulfilment centre in nearly every batch, waited for each other's commits and loaded the
 * identifier files no faster than one lane (measured: a second transaction MERGEing a link to a
 * node another open transaction had just linked to blocked until it ended; CREATE did not block).
 * Instead each link is looked up from its seller's side and created when missing. That is safe
 * because a seller's records all go to one lane, so no other transaction of the load can create
 * the same link; and repeats within one batch — which one statement would not see, its reads
 * coming before its writes — are collapsed here first: only the last row of each (seller,
 * identifier) pair writes the link (the later record wins, as it would with MERGE and SET). The
 * price: two `ringwatch ingest` runs loading into one database at the same time could each
 * create the same link; run one load at a time.
 */
const LINKS: Readonly<Partial<Record<RecordKind, readonly string[]>>> = {
  sellers: ['sellerId', 'phoneKey'],
  listings: ['listingId', 'imageHash'],
  payment_accounts: ['sellerId', 'accountKey'],
  addresses: ['sellerId', 'role', 'addressKey'],
};

/** Sets `link` to true on the last row of each (seller, identifier) pair of `rows` only. */
export function markLastLinks(kind: RecordKind, rows: GraphRow[]): void {
  const keyFields = LINKS[kind];
  if (keyFields === undefined) return;
  const seen = new Set<string>();
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!;
    const key = keyFields.map((field) => String(row[field])).join('\u0000');
    row.link = !seen.has(key);
    seen.add(key);
  }
}

/**
 * Marks the first row of each listing in a batch (`first`): only that row may find the listing
 * new, so that a listing repeated within one batch gets one LISTED_BY (cypher/ingest/listings.cypher).
 */
export function markFirstListings(rows: GraphRow[]): void {
  const seen = new Set<unknown>();
  for (const row of rows) {
    row.first = !seen.has(row.listingId);
    seen.add(row.listingId);
  }
}

/**
 * The distinct sellers of a batch's rows, in order of first appearance, and each row's place in
 * that list. Statements that link many rows to their sellers find each seller once per batch
 * (`$sellerIds`) and pick it for a row by its place, instead of one index lookup per row.
 */
export function sellerPlaces(rows: readonly GraphRow[]): { sellerIds: string[]; places: number[] } {
  const place = new Map<string, number>();
  const places = rows.map((row) => {
    const id = String(row.sellerId);
    let at = place.get(id);
    if (at === undefined) place.set(id, (at = place.size));
    return at;
  });
  return { sellerIds: [...place.keys()], places };
}

/** A batch of rows as columns: one list per field, the field's value in each row (null when absent). */
export type Columns = Record<string, (string | number | boolean | null)[]>;

/**
 * Rows as columns. Every statement of cypher/ingest/ takes its batch so (`$columns`) and puts each
 * row back together in Cypher: Bolt then carries each field name once per batch, not once per
 * row, which cut the client's packing and the server's unpacking (listings: the client's CPU by
 * 15 %, the file's load time by 5 %; bench/RESULTS.md).
 */
export function toColumns(rows: readonly GraphRow[], fields: readonly string[]): Columns {
  const columns: Columns = {};
  for (const field of fields) columns[field] = rows.map((row) => row[field] ?? null);
  return columns;
}

/**
 * Shipping links.
 *
 * A shipping record names up to three shared identifiers (a carrier account, a sender phone, an
 * origin address), and a seller ships many parcels through the same ones. The batch's statement
 * (cypher/ingest/shipping_links.cypher) gets the batch's sellers once, then one list per
 * identifier kind: one row per (seller, identifier) pair — the pair's last record in the batch,
 * whose shipment becomes the link's evidence, as the later record wins — in key order, for the
 * same reason as LOCK_ORDER below. A row names its seller by its place in the sellers list, so
 * each seller is looked up once per batch, not once per identifier.
 */
const SHIPPING_LINKS = {
  carrierAccounts: { key: 'carrierAccountKey', evidence: { raw: 'carrierAccountRaw', carrier: 'carrier', shipmentId: 'shipmentId', shippedAt: 'shippedAt' } },
  senderPhones: { key: 'phoneKey', evidence: { raw: 'phoneRaw', normalised: 'phoneNormalised', shipmentId: 'shipmentId', carrier: 'carrier' } },
  origins: { key: 'originKey', evidence: { raw: 'originRaw', city: 'originCity', country: 'originCountry', shipmentId: 'shipmentId', carrier: 'carrier', shippedAt: 'shippedAt' } },
} as const;

/** The rows of each identifier kind of a batch of shipping rows (see SHIPPING_LINKS). */
export function shippingLinkRows(rows: readonly GraphRow[]): { sellerIds: string[] } & Record<keyof typeof SHIPPING_LINKS, GraphRow[]> {
  const { sellerIds, places } = sellerPlaces(rows);
  const lists = Object.entries(SHIPPING_LINKS).map(([name, { key, evidence }]) => {
    const last = new Map<string, GraphRow>();
    for (const [i, row] of rows.entries()) {
      const identifier = row[key];
      if (identifier === null || identifier === undefined) continue;
      const link: GraphRow = { seller: places[i]!, key: identifier };
      for (const [field, from] of Object.entries(evidence)) link[field] = row[from] ?? null;
      last.set(`${link.seller}\u0000${String(identifier)}`, link);
    }
    return [name, [...last.values()].sort((a, b) => compareStrings(String(a.key), String(b.key)))] as const;
  });
  return { sellerIds, ...(Object.fromEntries(lists) as Record<keyof typeof SHIPPING_LINKS, GraphRow[]>) };
}

/** The parameters of the shipping-link statement: each identifier kind's rows as columns. */
function shippingLinkParams(rows: readonly GraphRow[]): Record<string, unknown> {
  const { sellerIds, ...lists } = shippingLinkRows(rows);
  const params: Record<string, unknown> = { sellerIds };
  for (const [name, { evidence }] of Object.entries(SHIPPING_LINKS)) {
    params[name] = toColumns(lists[name as keyof typeof SHIPPING_LINKS], ['seller', 'key', ...Object.keys(evidence)]);
  }
  return params;
}

/**
 * The shared identifier each row of a batch links its seller to, for the files with exactly one.
 * Rows are written in this key's order (a stable sort: rows of one key keep their file order, so
 * the later record still wins), so every transaction takes the locks of the shared nodes it
 * creates or changes in the same order, and two lanes that meet on a new address or account wait
 * for each other instead of deadlocking (a deadlock costs a whole batch, retried).
 */
const LOCK_ORDER: Partial<Record<RecordKind, string>> = {
  payment_accounts: 'accountKey',
  addresses: 'addressKey',
};

/** A batch as the parameters of its statement, with the number of records they load. */
interface PreparedBatch {
  params: Record<string, unknown>;
  records: number;
}

/**
 * Normalises one batch into the parameters of its statement; rejects the records that turn out to
 * name nothing usable.
 */
async function prepareBatch(
  db: Db,
  kind: RecordKind,
  batch: { line: number; record: unknown }[],
  reject: (line: number, reason: string, record: string) => Promise<void>,
): Promise<PreparedBatch> {
  const countries = new Map<string, string>();
  if (kind === 'shipping_links') {
    // Sellers' countries come from the sellers file, loaded before this one (sources.ts).
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
  if (kind === 'shipping_links') return { params: shippingLinkParams(rows), records: rows.length };
  const lockOrder = LOCK_ORDER[kind];
  if (lockOrder) rows.sort((a, b) => compareStrings(String(a[lockOrder]), String(b[lockOrder])));
  markLastLinks(kind, rows);
  if (kind === 'listings') markFirstListings(rows);
  // Rows of one kind all have toGraphRow's shape and the flags set above.
  const fields = rows.length > 0 ? Object.keys(rows[0]!) : [];
  if (kind === 'sellers') return { params: { columns: toColumns(rows, fields) }, records: rows.length };
  // The other kinds name a row's seller by its place in the batch's sellers, not by its id again.
  const { sellerIds, places } = sellerPlaces(rows);
  const columns = toColumns(rows, fields.filter((field) => field !== 'sellerId'));
  return { params: { sellerIds, columns: { ...columns, seller: places } }, records: rows.length };
}

/** Writes one prepared batch in one transaction; returns how many records it loaded. */
async function writeBatch(db: Db, kind: RecordKind, batch: PreparedBatch): Promise<number> {
  if (batch.records > 0) await db.write(`ingest/${kind}`, batch.params, { app: 'ingest', kind });
  return batch.records;
}
