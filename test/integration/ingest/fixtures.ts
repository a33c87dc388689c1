import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSV_COLUMNS, type RecordKind } from '../../../src/ingest/records.ts';

type Rec = Record<string, unknown>;

/** A small marketplace with the messy variants ingest must make meet. */
export const MARKET: Record<RecordKind, Rec[]> = {
  sellers: [
    { seller_id: 'S1', store_name: 'Lux Bags', country: 'CN', phone: '138 0013 8000', registered_at: '2025-01-02', status: 'active' },
    { seller_id: 'S2', store_name: 'Bag Outlet', country: 'cn', phone: '+86 138-0013-8000', registered_at: '2025-01-03T10:00:00+08:00' },
    { seller_id: 'S3', store_name: 'Neighbour', country: 'HK', email: '', phone: null },
  ],
  listings: [
    { listing_id: 'L1', seller_id: 'S1', title: 'Bag, "new"', price: 20.5, currency: 'USD', brand: 'Gucci', category: 'bags', image_hash: 'ABCDEF01' },
    { listing_id: 'L2', seller_id: 'S2', title: 'Bag', price: 25, currency: 'usd', brand: 'gucci ', category: 'bags', image_hash: 'abcdef01' },
    { listing_id: 'L3', seller_id: 'S4', title: 'Watch', price: 0, currency: 'EUR' },
  ],
  payment_accounts: [
    { seller_id: 'S1', account_id: '6222 0200-1234 5678', kind: 'bank', holder_name: 'Li Wei' },
    { seller_id: 'S2', account_id: '6222020012345678', kind: 'bank' },
    { seller_id: 'S3', account_id: 'GB82 WEST 1234 5698 7654 32', kind: 'bank' },
  ],
  addresses: [
    { seller_id: 'S1', role: 'return', line1: 'Rm 1203, 12/F, Blk B', line2: '88 Nathan Rd', city: 'Hong Kong', country: 'HK' },
    { seller_id: 'S2', role: 'return', line1: 'Room 1203, Floor 12, Block B, 88 Nathan Road', city: 'hong kong', country: 'hk' },
    { seller_id: 'S3', role: 'registered', line1: 'Room 1230, Floor 12, Block B, 88 Nathan Road', city: 'Hong Kong', country: 'HK' },
  ],
  shipping_links: [
    { seller_id: 'S1', shipment_id: 'SH1', carrier: 'SF', carrier_account: 'sf-0099 1234', sender_phone: '0086-138-0013-8000', shipped_at: '2025-02-01' },
    { seller_id: 'S2', shipment_id: 'SH2', carrier: 'SF', carrier_account: 'SF00991234', origin: { line1: '1 Hub Way', city: 'Shenzhen', country: 'CN' } },
  ],
};

export function tempDir(prefix = 'ringwatch-ingest-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeNdjson(dir: string, kind: RecordKind, records: readonly Rec[]): void {
  writeFileSync(join(dir, `${kind}.ndjson`), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The same records as CSV, with the column names of docs/ingest.md "Files" (origin flattened to origin_*). */
export function writeCsv(dir: string, kind: RecordKind, records: readonly Rec[]): void {
  const columns = CSV_COLUMNS[kind];
  const rows = records.map((record) => {
    const flat: Rec = { ...record };
    const origin = record.origin as Rec | undefined;
    if (origin) for (const [k, v] of Object.entries(origin)) flat[`origin_${k}`] = v;
    return columns.map((c) => csvCell(flat[c])).join(',');
  });
  writeFileSync(join(dir, `${kind}.csv`), `${columns.join(',')}\n${rows.join('\n')}\n`);
}

export function writeMarket(dir: string, format: 'ndjson' | 'csv', market = MARKET): string {
  for (const [kind, records] of Object.entries(market) as [RecordKind, Rec[]][]) {
    (format === 'ndjson' ? writeNdjson : writeCsv)(dir, kind, records);
  }
  return dir;
}
