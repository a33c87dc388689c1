import type { Db } from '../../../src/graph/db.ts';

/**
 * A small marketplace in the graph model that ingest and detection write, made directly with
 * parameterised Cypher: four rings and some sellers outside any ring.
 *
 * - R-AAAAAAAA: 5 stores selling cheap "Acme" shoes (and one "Zeta" bag); share a payment
 *   account, a sender phone, a return address and a carrier account; touch a fulfilment hub.
 * - R-BBBBBBBB: 4 stores selling cheap "Zeta" bags; share a payment account and an image.
 * - R-DDDDDDDD: 2 stores selling "Acme", same risk as B (ties are ordered by ring id).
 * - R-CCCCCCCC: 3 honest stores of one owner selling Acme at normal prices; not flagged.
 * - S-X1..S-X4: ordinary sellers whose normal prices make the marketplace medians.
 */
export const RING_A = 'R-AAAAAAAA';
export const RING_B = 'R-BBBBBBBB';
export const RING_C = 'R-CCCCCCCC';
export const RING_D = 'R-DDDDDDDD';
export const UNKNOWN_RING = 'R-ZZZZZZZZ';

interface SellerFixture {
  sellerId: string;
  storeName: string;
  country: string;
  registeredAt: string;
  ringId: string | null;
}

interface ListingFixture {
  listingId: string;
  sellerId: string;
  title: string;
  brand: string;
  category: string;
  price: number;
  currency: string;
  image?: string;
}

const seller = (sellerId: string, storeName: string, ringId: string | null, registeredAt = '2025-01-10T00:00:00Z', country = 'CN'): SellerFixture => ({
  sellerId,
  storeName,
  country,
  registeredAt,
  ringId,
});

export const SELLERS: SellerFixture[] = [
  ...[1, 2, 3, 4, 5].map((i) => seller(`S-A${i}`, `Best Shoes ${i}`, RING_A, `2025-01-0${i}T08:00:00Z`)),
  ...[1, 2, 3, 4].map((i) => seller(`S-B${i}`, `Bag Outlet ${i}`, RING_B, `2025-02-0${i}T08:00:00Z`)),
  ...[1, 2, 3].map((i) => seller(`S-C${i}`, `Honest Store ${i}`, RING_C, '2023-05-01T00:00:00Z', 'DE')),
  ...[1, 2].map((i) => seller(`S-D${i}`, `Deal Shop ${i}`, RING_D, '2025-03-01T00:00:00Z')),
  ...[1, 2, 3, 4].map((i) => seller(`S-X${i}`, `Ordinary ${i}`, null, '2022-01-01T00:00:00Z', 'FR')),
];

const listing = (listingId: string, sellerId: string, brand: string, category: string, price: number, image?: string): ListingFixture => ({
  listingId,
  sellerId,
  title: `${brand} ${category} ${listingId}`,
  brand,
  category,
  price,
  currency: 'USD',
  image,
});

export const LISTINGS: ListingFixture[] = [
  ...[1, 2, 3, 4, 5].map((i) => listing(`L-A${i}`, `S-A${i}`, 'Acme', 'shoes', 14 + i)),
  listing('L-A6', 'S-A1', 'Zeta', 'bags', 20),
  ...[1, 2, 3, 4].map((i) => listing(`L-B${i}`, `S-B${i}`, 'Zeta', 'bags', 25 + i, 'img-bag-1')),
  ...[1, 2, 3].map((i) => listing(`L-C${i}`, `S-C${i}`, 'ACME', 'shoes', 118 + i)),
  ...[1, 2].map((i) => listing(`L-D${i}`, `S-D${i}`, 'acme', 'shoes', 30 + i)),
  ...[1, 2, 3, 4].map((i) => listing(`L-X${i}`, `S-X${i}`, 'Acme', 'shoes', 110 + i * 5)),
  ...[1, 2].map((i) => listing(`L-XZ${i}`, `S-X${i}`, 'Zeta', 'bags', 300 + i)),
];

interface LinkFixture {
  sellerIds: string[];
  rel: 'PAYS_INTO' | 'USES_ADDRESS' | 'SHIPS_FROM' | 'HAS_PHONE' | 'SENDS_FROM_PHONE' | 'SHIPS_WITH';
  label: 'PaymentAccount' | 'Address' | 'Phone' | 'CarrierAccount';
  key: string;
  hub?: number;
}

export const LINKS: LinkFixture[] = [
  { sellerIds: ['S-A1', 'S-A2', 'S-A3', 'S-A4', 'S-A5'], rel: 'PAYS_INTO', label: 'PaymentAccount', key: 'acct:6222020200112233' },
  { sellerIds: ['S-A1', 'S-A2', 'S-A3'], rel: 'SENDS_FROM_PHONE', label: 'Phone', key: '+8613800138000' },
  { sellerIds: ['S-A2', 'S-A4'], rel: 'USES_ADDRESS', label: 'Address', key: 'cn|shenzhen|rm 1201 bldg 5 no 88 huaqiang rd' },
  { sellerIds: ['S-A3', 'S-A4', 'S-A5'], rel: 'SHIPS_WITH', label: 'CarrierAccount', key: 'sf:99887766' },
  { sellerIds: ['S-A1', 'S-A5', 'S-B1', 'S-X1'], rel: 'SHIPS_FROM', label: 'Address', key: 'cn|dongguan|fulfilment centre 1', hub: 250 },
  { sellerIds: ['S-B1', 'S-B2', 'S-B3', 'S-B4'], rel: 'PAYS_INTO', label: 'PaymentAccount', key: 'acct:4000111122223333' },
  { sellerIds: ['S-C1', 'S-C2', 'S-C3'], rel: 'USES_ADDRESS', label: 'Address', key: 'de|berlin|hauptstr 5' },
  { sellerIds: ['S-D1', 'S-D2'], rel: 'HAS_PHONE', label: 'Phone', key: '+8613911112222' },
];

interface RingFixture {
  ringId: string;
  riskScore: number;
  flagged: boolean;
  brands: string[];
  firstSeen: string;
  factors: { name: string; contribution: number; detail: string }[];
}

export const RINGS: RingFixture[] = [
  {
    ringId: RING_A,
    riskScore: 91.5,
    flagged: true,
    brands: ['Acme', 'Zeta'],
    firstSeen: '2025-01-15T00:00:00Z',
    factors: [
      { name: 'priceBelowTypical', contribution: 40, detail: 'median price 13% of the typical price' },
      { name: 'sharedPaymentAccounts', contribution: 30, detail: '1 payment account shared by 5 stores' },
      { name: 'registrationBurst', contribution: 21.5, detail: '5 stores registered within 5 days' },
    ],
  },
  { ringId: RING_B, riskScore: 74, flagged: true, brands: ['Zeta'], firstSeen: '2025-02-15T00:00:00Z', factors: [{ name: 'sharedPaymentAccounts', contribution: 74, detail: 'shared' }] },
  { ringId: RING_D, riskScore: 74, flagged: true, brands: ['acme'], firstSeen: '2025-03-15T00:00:00Z', factors: [] },
  { ringId: RING_C, riskScore: 12, flagged: false, brands: ['ACME'], firstSeen: '2024-01-15T00:00:00Z', factors: [{ name: 'sharedAddresses', contribution: 12, detail: 'one address' }] },
];

/** Writes the fixture marketplace into an empty graph. */
export async function seedMarketplace(db: Db): Promise<void> {
  const session = db.driver.session({ database: db.database });
  try {
    await session.executeWrite(async (tx) => {
      await tx.run(
        `UNWIND $sellers AS s
         CREATE (:Seller {sellerId: s.sellerId, storeName: s.storeName, country: s.country,
                          registeredAt: datetime(s.registeredAt), marketStatus: 'active', ringId: s.ringId})`,
        { sellers: SELLERS },
      );
      await tx.run(
        `UNWIND $listings AS l
         MATCH (s:Seller {sellerId: l.sellerId})
         CREATE (x:Listing {listingId: l.listingId, title: l.title, price: toFloat(l.price), currency: l.currency,
                            brand: l.brand, brandKey: toLower(l.brand), category: l.category,
                            listedAt: datetime('2025-03-01T00:00:00Z')})-[:LISTED_BY]->(s)
         WITH x, l WHERE l.image IS NOT NULL
         MERGE (i:ImageHash {key: l.image})
         CREATE (x)-[:HAS_IMAGE]->(i)`,
        { listings: LISTINGS },
      );
      for (const link of LINKS) {
        // Labels and relationship types cannot be parameters; these come from the fixture above, never from input.
        await tx.run(
          `MERGE (i:${link.label} {key: $key})
           SET i.hub = CASE WHEN $hub IS NULL THEN null ELSE true END, i.hubSellerCount = $hub
           WITH i
           UNWIND $sellerIds AS id
           MATCH (s:Seller {sellerId: id})
           CREATE (s)-[:${link.rel} {raw: $key}]->(i)`,
          { key: link.key, hub: link.hub ?? null, sellerIds: link.sellerIds },
        );
      }
      await tx.run(
        `UNWIND $rings AS r
         CREATE (ring:Ring {ringId: r.ringId, riskScore: toFloat(r.riskScore), flagged: r.flagged, factors: r.factors,
                            size: 0, brands: r.brands, firstSeen: datetime(r.firstSeen),
                            lastSeen: datetime('2025-04-01T00:00:00Z'), active: true, status: 'open'})
         WITH ring
         MATCH (s:Seller {ringId: ring.ringId})
         CREATE (s)-[:MEMBER_OF]->(ring)
         WITH ring, count(s) AS size
         SET ring.size = size`,
        { rings: RINGS.map((r) => ({ ...r, factors: JSON.stringify(r.factors) })) },
      );
      await tx.run(
        `MATCH (r:Ring {ringId: $ringA})
         MATCH (hub:Address {key: 'cn|dongguan|fulfilment centre 1'})
         CREATE (r)-[:TOUCHES_HUB {sellers: 2}]->(hub)
         CREATE (r)-[:HAD_EVENT]->(:RingEvent {type: 'new', runId: 'run-1', at: datetime('2025-01-15T00:00:00Z'), detail: '{"members":4}'})
         CREATE (r)-[:HAD_EVENT]->(:RingEvent {type: 'continued', runId: 'run-2', at: datetime('2025-02-15T00:00:00Z'), detail: '{"jaccard":0.8}'})
         CREATE (:DetectionRun {runId: 'run-2', startedAt: datetime('2025-02-15T00:00:00Z'), finishedAt: datetime('2025-02-15T00:01:00Z'), modularity: 0.7})`,
        { ringA: RING_A },
      );
    });
  } finally {
    await session.close();
  }
}

/** Nodes and relationships in the graph: equal before and after means a request changed nothing. */
export async function graphCounts(db: Db): Promise<{ nodes: number; relationships: number; closedSellers: number; verdicts: number }> {
  const session = db.driver.session({ database: db.database });
  try {
    const result = await session.run(
      `CALL () { MATCH (n) RETURN count(n) AS nodes }
       CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
       CALL () { MATCH (s:Seller {status: 'closed'}) RETURN count(s) AS closedSellers }
       CALL () { MATCH (l:Listing) WHERE l.verdict IS NOT NULL RETURN count(l) AS verdicts }
       RETURN nodes, relationships, closedSellers, verdicts`,
    );
    const record = result.records[0];
    if (!record) throw new Error('no counts');
    return {
      nodes: Number(record.get('nodes')),
      relationships: Number(record.get('relationships')),
      closedSellers: Number(record.get('closedSellers')),
      verdicts: Number(record.get('verdicts')),
    };
  } finally {
    await session.close();
  }
}
