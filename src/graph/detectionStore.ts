/**
 * The Neo4j side of detection: streams identifier groups page by page, reads ring facts in
 * batches, and writes rings, hubs, identity events and the run record back, batched.
 */
import type { DetectionStore, HubToWrite, RingToWrite, DetectionRunRecord } from '../analysis/runDetection.ts';
import type { IdentityEvent, PreviousRing } from '../analysis/identity.ts';
import { KIND_OF_LABEL, LABEL_OF_KIND, type IdentifierKind } from '../vocabulary.ts';
import type { IdentifierGroup } from '../analysis/projection.ts';
import type { RingFacts, RingListingFacts } from '../analysis/scoring.ts';
import { int, type Db } from './db.ts';

const GROUP_QUERIES: { query: string; kind?: IdentifierKind }[] = [
  { query: 'detect/groups_payment_account', kind: 'paymentAccount' },
  { query: 'detect/groups_phone', kind: 'phone' },
  { query: 'detect/groups_carrier_account', kind: 'carrierAccount' },
  { query: 'detect/groups_address' }, // kind per row: declared address or shipping origin
  { query: 'detect/groups_image_hash', kind: 'imageHash' },
];

export interface DetectionStoreOptions {
  /** Identifiers per page when streaming groups. */
  pageSize?: number;
  /** Rings per read or write batch. */
  ringBatch?: number;
  /** Identifier nodes per hub write. */
  hubBatch?: number;
}

export class Neo4jDetectionStore implements DetectionStore {
  private readonly pageSize: number;
  private readonly ringBatch: number;
  private readonly hubBatch: number;
  /** The typical prices the last ringFacts scored with, written back with the result. */
  private typicalPrices: { brandKey: string; category: string; currency: string; median: number; listings: number }[] = [];

  constructor(private readonly db: Db, options: DetectionStoreOptions = {}) {
    this.pageSize = options.pageSize ?? 20_000;
    this.ringBatch = options.ringBatch ?? 500;
    this.hubBatch = options.hubBatch ?? 200;
  }

  async *identifierGroups(): AsyncGenerator<IdentifierGroup> {
    for (const { query, kind } of GROUP_QUERIES) {
      let after = '';
      for (;;) {
        const rows = await this.db.read(query, { after, limit: int(this.pageSize) }, { app: 'detect:projection' });
        for (const row of rows) {
          const sellerIds = row.sellerIds as string[];
          if (sellerIds.length > 1) yield { kind: kind ?? (Number(row.declared) > 0 ? 'address' : 'origin'), key: String(row.key), sellerIds };
        }
        if (rows.length < this.pageSize) break;
        after = String(rows[rows.length - 1]!.key);
      }
    }
  }

  async previousRings(): Promise<PreviousRing[]> {
    const rows = await this.db.read('detect/previous_rings', {}, { app: 'detect:identity' });
    return rows.map((row) => ({ ringId: String(row.ringId), sellerIds: row.sellerIds as string[] }));
  }

  async ringFacts(rings: readonly (readonly string[])[]): Promise<(RingFacts & { brands: string[] })[]> {
    const reference = await this.referencePrices();
    const facts = rings.map(() => ({
      members: [] as RingFacts['members'][number][],
      listings: [] as RingListingFacts[],
      sharedIdentifiers: [] as RingFacts['sharedIdentifiers'][number][],
      brands: new Set<string>(),
    }));
    for (let start = 0; start < rings.length; start += this.ringBatch) {
      const batch = rings.slice(start, start + this.ringBatch).map((sellerIds, i) => ({ index: int(start + i), sellerIds }));
      const params = { rings: batch };
      const meta = { app: 'detect:scoring' };
      for (const row of await this.db.read('detect/ring_members', params, meta)) {
        facts[row.ring as number]!.members.push({
          sellerId: String(row.sellerId),
          registeredAt: (row.registeredAt as string | null) ?? undefined,
          status: (row.status as string | null) ?? undefined,
          closedBefore: row.closedBefore === true,
        });
      }
      for (const row of await this.db.read('detect/ring_listings', params, meta)) {
        const brandKey = row.brandKey as string | null;
        const currency = String(row.currency);
        const category = (row.category as string | null) ?? '';
        const ring = facts[row.ring as number]!;
        if (row.brand) ring.brands.add(String(row.brand));
        ring.listings.push({
          listingId: String(row.listingId),
          sellerId: String(row.sellerId),
          brand: (row.brand as string | null) ?? undefined,
          category: category || undefined,
          price: Number(row.price),
          currency,
          referencePrice: brandKey === null ? undefined : reference.get(`${brandKey}|${category}|${currency}`),
          verdict: (row.verdict as 'counterfeit' | 'genuine' | null) ?? undefined,
        });
      }
      for (const row of await this.db.read('detect/ring_identifiers', params, meta)) {
        const members = row.members as string[];
        facts[row.ring as number]!.sharedIdentifiers.push({
          kind: KIND_OF_LABEL[String(row.label)] ?? 'address',
          key: String(row.key),
          sellerCount: members.length,
          sellerIds: members,
        });
      }
    }
    return facts.map((f) => ({ ...f, brands: [...f.brands].sort() }));
  }

  /** Median price per brand key, category and currency, from the whole marketplace. */
  private async referencePrices(): Promise<Map<string, number>> {
    const rows = await this.db.read('detect/reference_prices', {}, { app: 'detect:reference-prices' });
    this.typicalPrices = rows.map((row) => ({
      brandKey: String(row.brandKey),
      category: String(row.category),
      currency: String(row.currency),
      median: Number(row.median),
      listings: Number(row.listings),
    }));
    return new Map(this.typicalPrices.map((p) => [`${p.brandKey}|${p.category}|${p.currency}`, p.median]));
  }

  async writeResult(result: { rings: RingToWrite[]; hubs: HubToWrite[]; events: IdentityEvent[]; run: DetectionRunRecord }): Promise<void> {
    const meta = { app: 'detect:write-back', runId: result.run.runId };
    const common = { runId: result.run.runId, now: result.run.startedAt };
    await this.db.autoCommit('detect/clear_assignment', {}, meta);
    await this.db.autoCommit('detect/clear_hubs', {}, meta);
    for (let start = 0; start < result.rings.length; start += this.ringBatch) {
      const rings = result.rings.slice(start, start + this.ringBatch).map((ring) => ({
        ringId: ring.ringId,
        sellerIds: ring.sellerIds,
        riskScore: ring.score.riskScore,
        flagged: ring.score.flagged,
        factors: JSON.stringify(ring.score.factors),
        brands: ring.brands,
      }));
      await this.db.write('detect/write_rings', { ...common, rings }, meta);
    }
    await this.db.write('detect/deactivate_rings', common, meta);
    const events = result.events.map(({ type, ringId, ...detail }) => ({ type, ringId, detail: JSON.stringify(detail) }));
    for (let start = 0; start < events.length; start += this.ringBatch * 4) {
      await this.db.write('detect/write_events', { ...common, events: events.slice(start, start + this.ringBatch * 4) }, meta);
    }
    for (let start = 0; start < result.hubs.length; start += this.hubBatch) {
      const hubs = result.hubs.slice(start, start + this.hubBatch).map((hub) => ({
        label: LABEL_OF_KIND[hub.kind],
        key: hub.key,
        sellerCount: int(hub.sellerCount),
        touches: hub.touches.map((t) => ({ ringId: t.ringId, sellers: int(t.sellers) })),
      }));
      await this.db.write('detect/write_hubs', { hubs }, meta);
    }
    for (let start = 0; start < this.typicalPrices.length; start += 5000) {
      const prices = this.typicalPrices.slice(start, start + 5000).map((p) => ({ ...p, listings: int(p.listings) }));
      await this.db.write('detect/write_typical_prices', { runId: result.run.runId, prices }, meta);
    }
    await this.db.write('detect/clear_typical_prices', { runId: result.run.runId }, meta);
    const run = result.run;
    await this.db.write(
      'detect/write_run',
      {
        runId: run.runId,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        parameters: JSON.stringify(run.parameters),
        counts: JSON.stringify(run.counts),
        timings: JSON.stringify(run.timings),
        modularity: run.modularity,
      },
      meta,
    );
  }

  /** Every active ring with its members (for export and evaluation). */
  async exportRings(flaggedOnly: boolean): Promise<{ ringId: string; sellerIds: string[]; flagged: boolean; riskScore: number; brands: string[]; factors: unknown }[]> {
    const rows = await this.db.read('detect/ring_export', { flaggedOnly }, { app: 'rings:export' });
    return rows.map((row) => ({
      ringId: String(row.ringId),
      sellerIds: (row.sellerIds as string[]).sort(),
      flagged: row.flagged === true,
      riskScore: Number(row.riskScore),
      brands: (row.brands as string[] | null) ?? [],
      factors: JSON.parse(String(row.factors ?? '[]')),
    }));
  }
}
