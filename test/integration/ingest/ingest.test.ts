import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/graph/db.ts';
import { ingestDirectory } from '../../../src/ingest/load.ts';
import { clearGraph, freshDb, graphFingerprint } from '../../support/db.ts';
import { MARKET, tempDir, writeMarket, writeNdjson } from './fixtures.ts';

let db: Db;
const ingest = (dir: string, batchSize = 2) => ingestDirectory(db, dir, { batchSize, rejectsFile: join(dir, 'rejects.ndjson') });
const rejectsOf = (dir: string) =>
  readFileSync(join(dir, 'rejects.ndjson'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { file: string; line: number; reason: string });

async function scalar(query: string, params: Record<string, unknown> = {}): Promise<unknown> {
  const session = db.driver.session();
  try {
    const result = await session.run(query, params);
    const value = result.records[0]?.get(0);
    return typeof value === 'object' && value !== null && 'toNumber' in value ? (value as { toNumber(): number }).toNumber() : value;
  } finally {
    await session.close();
  }
}

beforeEach(async () => {
  db ??= await freshDb();
  await clearGraph(db);
});
afterAll(async () => {
  await db?.close();
});

describe('ingest into a real Neo4j', () => {
  it('loads every record, reconciles, and makes messy identifier variants meet', async () => {
    const dir = writeMarket(tempDir(), 'ndjson');
    const summary = await ingest(dir);
    for (const [kind, counts] of Object.entries(summary.files)) {
      expect(counts.read, kind).toBe(counts.loaded + counts.rejected);
      expect(counts.rejected, kind).toBe(0);
      expect(counts.read, kind).toBe(MARKET[kind as keyof typeof MARKET].length);
    }
    // Phones written four ways are one E.164 node shared by S1 and S2 (seller phone and sender phone).
    expect(await scalar("MATCH (p:Phone {key: '+8613800138000'})<--(s:Seller) RETURN count(DISTINCT s)")).toBe(2);
    // Account with spaces and dashes meets the bare digits.
    expect(await scalar("MATCH (a:PaymentAccount {key: '6222020012345678'})<-[:PAYS_INTO]-(s) RETURN count(s)")).toBe(2);
    // Same room written two ways meets; the neighbour's room 1230 does not.
    expect(await scalar("MATCH (a:Address)<-[:USES_ADDRESS]-(s:Seller) WHERE s.sellerId IN ['S1','S2'] RETURN count(DISTINCT a)")).toBe(1);
    expect(await scalar("MATCH (a:Address)<-[:USES_ADDRESS]-(s:Seller) RETURN count(DISTINCT a)")).toBe(2);
    // Carrier account variants meet; image hashes are case-folded.
    expect(await scalar('MATCH (c:CarrierAccount)<-[:SHIPS_WITH]-(s) RETURN count(DISTINCT s)')).toBe(2);
    expect(await scalar('MATCH (i:ImageHash)<-[:HAS_IMAGE]-(l) RETURN count(l)')).toBe(2);
    // The raw form stays as evidence.
    expect(await scalar("MATCH (:Seller {sellerId: 'S1'})-[r:PAYS_INTO]->() RETURN r.raw")).toBe('6222 0200-1234 5678');
    // A listing whose seller is not in the data is loaded; its seller exists as a placeholder.
    expect(await scalar("MATCH (:Listing {listingId: 'L3'})-[:LISTED_BY]->(s:Seller {sellerId: 'S4'}) RETURN s.placeholder")).toBe(true);
    expect(await scalar("MATCH (s:Seller {sellerId: 'S2'}) RETURN s.country")).toBe('CN');
  });

  it('keeps one shipping link per seller and identifier, with the latest shipment as its evidence', async () => {
    const dir = tempDir();
    writeNdjson(dir, 'sellers', MARKET.sellers);
    writeNdjson(dir, 'shipping_links', [
      { seller_id: 'S1', shipment_id: 'SH1', carrier: 'SF', carrier_account: 'sf-0099 1234', sender_phone: '138 0013 8000', shipped_at: '2025-02-01' },
      { seller_id: 'S1', shipment_id: 'SH2', carrier: 'SF', carrier_account: 'SF00991234', origin: { line1: '1 Hub Way', city: 'Shenzhen', country: 'CN' } },
      { seller_id: 'S1', shipment_id: 'SH3', carrier: 'SF', carrier_account: 'SF 0099 1234', sender_phone: '+86 138 0013 8000', shipped_at: '2025-02-03' },
      { seller_id: 'S9', shipment_id: 'SH4', carrier: 'SF', origin: { line1: '1 Hub Way', city: 'Shenzhen', country: 'CN' } },
    ]);
    for (const batchSize of [2, 5000]) {
      await clearGraph(db);
      const summary = await ingest(dir, batchSize);
      expect(summary.files.shipping_links).toMatchObject({ read: 4, loaded: 4, rejected: 0 });
      const links = async (type: string) =>
        scalar(`MATCH (:Seller {sellerId: 'S1'})-[r:${type}]->(n) RETURN collect([n.key, r.shipmentId, r.raw])`);
      expect(await links('SHIPS_WITH')).toEqual([['SF:SF00991234', 'SH3', 'SF 0099 1234']]);
      expect(await links('SENDS_FROM_PHONE')).toEqual([['+8613800138000', 'SH3', '+86 138 0013 8000']]);
      expect(await scalar("MATCH (:Seller {sellerId: 'S1'})-[r:SENDS_FROM_PHONE]->() RETURN r.normalised")).toBe(true);
      expect(await scalar("MATCH (:Seller {sellerId: 'S1'})-[r:SHIPS_FROM]->(a:Address) RETURN [r.shipmentId, r.carrier, a.city, a.country]")).toEqual(['SH2', 'SF', 'Shenzhen', 'CN']);
      // A seller known only from its parcels exists with its id, and shares the origin with S1.
      expect(await scalar("MATCH (s:Seller {sellerId: 'S9'})-[:SHIPS_FROM]->(:Address)<-[:SHIPS_FROM]-(:Seller {sellerId: 'S1'}) RETURN s.placeholder")).toBe(true);
    }
  });

  it('gives a listing repeated in one batch one LISTED_BY, to the seller of its last record', async () => {
    const dir = tempDir();
    writeNdjson(dir, 'listings', [
      { listing_id: 'L1', seller_id: 'S1', title: 'Bag', price: 20, currency: 'USD', image_hash: 'aa' },
      { listing_id: 'L1', seller_id: 'S1', title: 'Bag', price: 21, currency: 'USD', image_hash: 'aa' },
      { listing_id: 'L2', seller_id: 'S1', title: 'Belt', price: 5, currency: 'USD' },
      { listing_id: 'L2', seller_id: 'S2', title: 'Belt', price: 6, currency: 'USD' },
    ]);
    const summary = await ingest(dir, 5000);
    expect(summary.files.listings).toMatchObject({ read: 4, loaded: 4 });
    // L2 changes seller within the file; whichever of the two lanes writes last, it keeps one LISTED_BY.
    expect(await scalar("MATCH (:Listing {listingId: 'L1'})-[r:LISTED_BY]->(s) RETURN collect(s.sellerId)")).toEqual(['S1']);
    expect(await scalar("MATCH (:Listing {listingId: 'L1'})-[r:HAS_IMAGE]->() RETURN count(r)")).toBe(1);
    expect(await scalar("MATCH (l:Listing {listingId: 'L1'}) RETURN l.price")).toBe(21);
    expect(await scalar("MATCH (:Listing {listingId: 'L2'})-[r:LISTED_BY]->() RETURN count(r)")).toBe(1);
  });

  it('is idempotent: the same files twice leave the same graph', async () => {
    const dir = writeMarket(tempDir(), 'ndjson');
    await ingest(dir);
    const once = await graphFingerprint(db);
    const changedOnce = await scalar('MATCH (s:Seller) RETURN collect([s.sellerId, toString(s.changedAt)])');
    await ingest(dir, 1);
    const twice = await graphFingerprint(db);
    expect(twice.nodes).toBe(once.nodes);
    expect(twice.relationships).toBe(once.relationships);
    expect(twice.digest).toBe(once.digest);
    // Nothing changed, so nothing is marked for the next incremental detection.
    expect(await scalar('MATCH (s:Seller) RETURN collect([s.sellerId, toString(s.changedAt)])')).toEqual(changedOnce);
  });

  it('updates a changed record in place', async () => {
    const dir = writeMarket(tempDir(), 'ndjson');
    await ingest(dir);
    const before = await graphFingerprint(db);
    writeNdjson(dir, 'listings', MARKET.listings.map((l) => (l.listing_id === 'L1' ? { ...l, price: 19, seller_id: 'S2' } : l)));
    await ingest(dir);
    expect(await scalar("MATCH (l:Listing {listingId: 'L1'}) RETURN l.price")).toBe(19);
    expect(await scalar("MATCH (:Listing {listingId: 'L1'})-[:LISTED_BY]->(s) RETURN collect(s.sellerId)")).toEqual(['S2']);
    expect((await graphFingerprint(db)).nodes).toBe(before.nodes);
  });

  it('gives the same graph whatever the order the files arrive in', async () => {
    await ingest(writeMarket(tempDir(), 'ndjson'));
    const together = await graphFingerprint(db);
    await clearGraph(db);
    // Listings and links first, sellers in a later load.
    const first = tempDir();
    const second = tempDir();
    for (const kind of ['listings', 'payment_accounts', 'addresses'] as const) writeNdjson(first, kind, MARKET[kind]);
    writeNdjson(second, 'sellers', MARKET.sellers);
    writeNdjson(second, 'shipping_links', MARKET.shipping_links);
    await ingest(first);
    await ingest(second);
    const apart = await graphFingerprint(db);
    expect(apart.digest).toBe(together.digest);
  });

  it('gives the same graph from CSV and from NDJSON', async () => {
    await ingest(writeMarket(tempDir(), 'ndjson'));
    const fromNdjson = await graphFingerprint(db);
    await clearGraph(db);
    const summary = await ingest(writeMarket(tempDir(), 'csv'));
    expect(Object.values(summary.files).every((c) => c.rejected === 0)).toBe(true);
    const fromCsv = await graphFingerprint(db);
    expect(fromCsv.lines).toEqual(fromNdjson.lines);
  });

  it('rejects bad records with file, line and reason, and loads the rest', async () => {
    const dir = tempDir();
    const lines = [
      JSON.stringify({ seller_id: 'OK1', store_name: 'Fine' }),
      '{"seller_id": "T1", "store_name": "Trunc',
      '[1, 2, 3]',
      JSON.stringify({ seller_id: 'C1', store_name: 'Bad country', country: 'China' }),
      JSON.stringify({ store_name: 'No id' }),
      JSON.stringify({ seller_id: 'D1', store_name: 'Bad date', registered_at: 'yesterday' }),
      JSON.stringify({ seller_id: 'X'.repeat(5000), store_name: 'Huge id' }),
      JSON.stringify({ seller_id: 'OK2', store_name: 'Extra fields ignored', favourite_colour: 'red' }),
    ];
    writeFileSync(join(dir, 'sellers.ndjson'), `${lines.join('\n')}\n`);
    writeFileSync(
      join(dir, 'listings.ndjson'),
      [
        JSON.stringify({ listing_id: 'N1', seller_id: 'OK1', title: 't', price: -5, currency: 'USD' }),
        JSON.stringify({ listing_id: 'N2', seller_id: 'OK1', title: 't', price: 'cheap', currency: 'USD' }),
        JSON.stringify({ listing_id: 'N3', seller_id: 'OK1', title: 't', price: 1e400, currency: 'USD' }),
        JSON.stringify({ listing_id: 'N4', seller_id: 'OK1', title: 't', price: 5, currency: 'DOLLARS' }),
        JSON.stringify({ listing_id: 'N5', seller_id: 'OK1', title: 't', price: 5, currency: 'USD' }),
      ].join('\n'),
    );
    writeNdjson(dir, 'payment_accounts', [
      { seller_id: 'OK1', account_id: '1234', kind: 'crypto' },
      { seller_id: 'OK1', account_id: ' -- ', kind: 'bank' },
    ]);
    writeNdjson(dir, 'shipping_links', [{ seller_id: 'OK1', shipment_id: 'S', carrier: 'SF' }]);
    // Latin-1 bytes: not UTF-8.
    writeFileSync(join(dir, 'addresses.ndjson'), Buffer.concat([Buffer.from('{"seller_id":"OK1","role":"return","line1":"Stra'), Buffer.from([0xdf, 0x65]), Buffer.from('","city":"Berlin","country":"DE"}\n')]));

    const summary = await ingest(dir, 100);
    expect(summary.files.sellers).toMatchObject({ read: 8, loaded: 2, rejected: 6 });
    expect(summary.files.listings).toMatchObject({ read: 5, loaded: 1, rejected: 4 });
    expect(summary.files.payment_accounts).toMatchObject({ read: 2, loaded: 0, rejected: 2 });
    expect(summary.files.shipping_links).toMatchObject({ read: 1, loaded: 0, rejected: 1 });
    expect(summary.files.addresses).toMatchObject({ read: 1, loaded: 0, rejected: 1 });

    const rejects = rejectsOf(dir);
    expect(rejects).toHaveLength(14);
    const reason = (file: string, line: number) => rejects.find((r) => r.file === file && r.line === line)?.reason;
    expect(reason('sellers.ndjson', 2)).toMatch(/not valid JSON.*truncated/);
    expect(reason('sellers.ndjson', 3)).toMatch(/must be a JSON object/);
    expect(reason('sellers.ndjson', 4)).toMatch(/^country:/);
    expect(reason('sellers.ndjson', 5)).toMatch(/^seller_id:/);
    expect(reason('sellers.ndjson', 6)).toMatch(/^registered_at:/);
    expect(reason('sellers.ndjson', 7)).toMatch(/^seller_id:/);
    expect(reason('listings.ndjson', 1)).toMatch(/price: must be ≥ 0/);
    expect(reason('listings.ndjson', 2)).toMatch(/^price:/);
    expect(reason('listings.ndjson', 3)).toMatch(/^price:/);
    expect(reason('listings.ndjson', 4)).toMatch(/^currency:/);
    expect(reason('payment_accounts.ndjson', 1)).toMatch(/^kind:/);
    expect(reason('payment_accounts.ndjson', 2)).toMatch(/^account_id:/);
    expect(reason('shipping_links.ndjson', 1)).toMatch(/at least one of carrier_account, sender_phone, origin/);
    expect(reason('addresses.ndjson', 1)).toMatch(/not valid UTF-8/);
    expect(await scalar('MATCH (s:Seller) WHERE s.placeholder = false RETURN count(s)')).toBe(2);
  });

  it('rejects a binary file and an over-long line without losing the records around them', async () => {
    const dir = tempDir();
    const good = (id: string) => JSON.stringify({ seller_id: id, store_name: 'ok' });
    writeFileSync(join(dir, 'sellers.ndjson'), `${good('A')}\n${JSON.stringify({ seller_id: 'B', store_name: 'x'.repeat(10 * 1024 * 1024) })}\n${good('C')}`);
    writeFileSync(join(dir, 'listings.ndjson'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256)));
    const summary = await ingest(dir, 100);
    expect(summary.files.sellers).toMatchObject({ read: 3, loaded: 2, rejected: 1 });
    expect(rejectsOf(dir).find((r) => r.file === 'sellers.ndjson')?.reason).toMatch(/longer than 1 MiB/);
    const listings = summary.files.listings!;
    expect(listings.loaded).toBe(0);
    expect(listings.rejected).toBe(listings.read);
    expect(listings.read).toBeGreaterThan(0);
  });

  it('refuses a directory without input files with a clear error', async () => {
    await expect(ingest(tempDir())).rejects.toThrow(/holds none of sellers.ndjson/);
    await expect(ingest('/no/such/dir')).rejects.toThrow(/is not a directory/);
  });
});
