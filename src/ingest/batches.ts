/**
 * A batch of validated records as the parameters of its statement in cypher/ingest/, and its
 * write (docs/ingest.md, "Loading"): identifiers normalised, rows ordered and flagged so that one
 * statement per batch loads it idempotently without waiting on the other writer lanes.
 */
import { compareStrings } from '../analysis/order.ts';
import type { Db } from '../graph/db.ts';
import { toGraphRow, type GraphRow } from './graphRows.ts';
import type { RecordKind } from './records.ts';

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
export interface PreparedBatch {
  params: Record<string, unknown>;
  records: number;
}

/**
 * Normalises one batch into the parameters of its statement; rejects the records that turn out to
 * name nothing usable.
 */
export async function prepareBatch(
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
export async function writeBatch(db: Db, kind: RecordKind, batch: PreparedBatch): Promise<number> {
  if (batch.records > 0) await db.write(`ingest/${kind}`, batch.params, { app: 'ingest', kind });
  return batch.records;
}
