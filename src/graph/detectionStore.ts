/**
 * The Neo4j side of detection: streams identifier groups page by page, reads ring facts in
 * batches, and writes rings, hubs, identity events and the run record back, batched.
 */
import type { DetectionResult, DetectionStore, LastRun, RingFactsRead } from '../analysis/runDetection.ts';
import type { RegionStepRow } from '../analysis/region.ts';
import type { StoredRing } from '../analysis/storedRing.ts';
import { KIND_OF_LABEL, LABEL_OF_KIND, type IdentifierKind, type RingStatus } from '../vocabulary.ts';
import type { IdentifierGroup } from '../analysis/projection.ts';
import type { RingFacts, RingListingFacts } from '../analysis/scoring.ts';
import { writeAlerts } from '../alerts/alertStore.ts';
import { RingwatchError } from '../errors.ts';
import { int, type Db, type Row, type Tx } from './db.ts';

/**
 * A product photo counts as evidence from a confirmed counterfeit to another listing only when at
 * most this many listings use it: ring photos are on a few to a few hundred listings, a brand's
 * stock photo on thousands (cypher/detect/confirmed_photos.cypher; docs/detection.md, "Scoring").
 */
export const PHOTO_EVIDENCE_MAX_LISTINGS = 200;

/** How far before its clock a run without the privilege to list open transactions puts its watermark. */
const WATERMARK_MARGIN_MS = 60_000;

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
  private typicalPrices: { brandKey: string; category: string; currency: string; typicalPrice: number; listings: number }[] = [];

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

  async previousRings(): Promise<StoredRing[]> {
    const rows = await this.db.read('detect/previous_rings', {}, { app: 'detect:identity' });
    return rows.map(storedRing);
  }

  async ringsOf(sellerIds: readonly string[]): Promise<StoredRing[]> {
    const rows = await this.db.read('detect/rings_of_sellers', { sellerIds }, { app: 'detect:region' });
    return rows.map(storedRing);
  }

  async regionStep(sellerIds: readonly string[], seen: readonly string[], hubLimit: number, storedHubCounts: boolean): Promise<RegionStepRow[]> {
    // region.ts names an identifier `kind|key`, the statement `label|key` (an address and an origin are one Address node).
    const seenByLabel = seen.map((id) => {
      const bar = id.indexOf('|');
      return `${LABEL_OF_KIND[id.slice(0, bar) as IdentifierKind]}|${id.slice(bar + 1)}`;
    });
    const rows = await this.db.read('detect/region_step', { sellerIds, seen: seenByLabel, hubLimit: int(hubLimit), storedHubCounts }, { app: 'detect:region' });
    return rows.map((row) => {
      const label = String(row.label);
      const kind: IdentifierKind = label === LABEL_OF_KIND.address ? (Number(row.declared) > 0 ? 'address' : 'origin') : (KIND_OF_LABEL[label] ?? 'address');
      return { kind, key: String(row.key), sellerCount: Number(row.sellerCount), sellerIds: row.sellerIds as string[], markedHub: row.markedHub === true };
    });
  }

  async lastRun(): Promise<LastRun | null> {
    const [row] = await this.db.read('detect/last_run', {}, { app: 'detect:plan' });
    if (row === undefined) return null;
    return { runId: String(row.runId), completed: row.completed === true, parameterKey: (row.parameterKey as string | null) ?? null, watermark: (row.watermark as string | null) ?? null };
  }

  async watermark(): Promise<string> {
    try {
      const [row] = await this.db.read('detect/watermark', {}, { app: 'detect:plan' });
      return new Date(String(row?.watermark)).toISOString();
    } catch (error) {
      // A user without the privilege to list transactions (Neo4j says Security.Forbidden, mapped as
      // NEO4J_AUTH; the credentials themselves worked for the run's first read): the clock, less a
      // margin for a write transaction still open (an ingest batch takes well under a second).
      if (!(error instanceof RingwatchError) || (error.code !== 'NEO4J_CLIENT' && error.code !== 'NEO4J_AUTH')) throw error;
      const [row] = await this.db.read('detect/database_time', {}, { app: 'detect:plan' });
      return new Date(Date.parse(String(row?.now)) - WATERMARK_MARGIN_MS).toISOString();
    }
  }

  async changedSellers(since: string): Promise<string[]> {
    const rows = await this.db.read('detect/changed_sellers', { since }, { app: 'detect:plan' });
    return rows.map((row) => String(row.sellerId));
  }

  async ringFacts(rings: readonly (readonly string[])[], typicalPrices: 'compute' | 'stored' = 'compute'): Promise<RingFactsRead[]> {
    const reference = await this.referencePrices(typicalPrices);
    const photoOfConfirmed = new Map<string, string>();
    for (const row of await this.db.read('detect/confirmed_photos', { maxListings: int(PHOTO_EVIDENCE_MAX_LISTINGS) }, { app: 'detect:scoring' })) {
      photoOfConfirmed.set(String(row.listingId), String(row.confirmedListingId));
    }
    const facts = rings.map(() => ({
      members: [] as RingFactsRead['members'],
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
          reportedRingId: (row.reportedRingId as string | null) ?? null,
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
          photoOfConfirmed: photoOfConfirmed.get(String(row.listingId)),
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

  /** Typical price (the upper quartile) per brand key, category and currency, from the whole marketplace, or as the last full run stored it. */
  private async referencePrices(typicalPrices: 'compute' | 'stored'): Promise<Map<string, number>> {
    const query = typicalPrices === 'compute' ? 'detect/reference_prices' : 'detect/stored_typical_prices';
    const rows = await this.db.read(query, {}, { app: 'detect:reference-prices' });
    this.typicalPrices = rows.map((row) => ({
      brandKey: String(row.brandKey),
      category: String(row.category),
      currency: String(row.currency),
      typicalPrice: Number(row.typicalPrice),
      listings: Number(row.listings),
    }));
    return new Map(this.typicalPrices.map((p) => [`${p.brandKey}|${p.category}|${p.currency}`, p.typicalPrice]));
  }

  async writeResult(result: DetectionResult): Promise<void> {
    if (result.mode === 'incremental') await this.writeIncremental(result);
    else await this.writeFull(result);
  }

  /**
   * A full run rewrites everything in batches (a million sellers do not fit one transaction), after
   * recording that it began: killed mid-way, it leaves a run that did not finish, and the next run
   * is full too. Alerts and the reported members go with each batch of them, so none is lost or
   * doubled by a rerun.
   */
  private async writeFull(result: DetectionResult): Promise<void> {
    const meta = { app: 'detect:write-back', runId: result.run.runId };
    const common = { runId: result.run.runId, now: result.run.startedAt };
    await this.db.write('detect/begin_run', { runId: result.run.runId, mode: result.mode, startedAt: result.run.startedAt }, meta);
    await this.db.autoCommit('detect/clear_assignment', {}, meta);
    await this.db.autoCommit('detect/clear_hubs', {}, meta);
    for (let start = 0; start < result.rings.length; start += this.ringBatch) {
      await this.db.write('detect/write_rings', { ...common, rings: ringRows(result.rings.slice(start, start + this.ringBatch)) }, meta);
    }
    await this.db.write('detect/deactivate_rings', common, meta);
    const events = eventRows(result.events);
    for (let start = 0; start < events.length; start += this.ringBatch * 4) {
      await this.db.write('detect/write_events', { ...common, events: events.slice(start, start + this.ringBatch * 4) }, meta);
    }
    for (let start = 0; start < result.hubs.length; start += this.hubBatch) {
      await this.db.write('detect/write_hubs', { hubs: hubRows(result.hubs.slice(start, start + this.hubBatch)) }, meta);
    }
    for (let start = 0; start < this.typicalPrices.length; start += 5000) {
      const prices = this.typicalPrices.slice(start, start + 5000).map((p) => ({ ...p, listings: int(p.listings) }));
      await this.db.write('detect/write_typical_prices', { runId: result.run.runId, prices }, meta);
    }
    await this.db.write('detect/clear_typical_prices', { runId: result.run.runId }, meta);
    for (let start = 0; start < result.reported.length; start += this.ringBatch) {
      const reported = result.reported.slice(start, start + this.ringBatch);
      const rings = new Set(reported.map((r) => r.ringId));
      await this.db.writeTx(async (tx) => {
        await writeAlerts(tx, result.alerts.filter((a) => rings.has(a.ringId)));
        await tx.run('detect/write_reported', { reported });
      }, meta);
    }
    await this.db.write('detect/write_run', runRow(result.run), meta);
  }

  /**
   * An incremental run's region is small: everything it writes is one transaction, so a run
   * killed mid-way leaves the previous rings as they were, and the next run does the work again.
   */
  private async writeIncremental(result: DetectionResult): Promise<void> {
    const meta = { app: 'detect:write-back', runId: result.run.runId };
    const common = { runId: result.run.runId, now: result.run.startedAt };
    await this.db.writeTx(async (tx) => {
      await tx.run('detect/clear_assignment_of', { sellerIds: result.reassignedSellers, ringIds: result.rings.map((r) => r.ringId) });
      if (result.rings.length > 0) await tx.run('detect/write_rings', { ...common, rings: ringRows(result.rings) });
      await tx.run('detect/deactivate_rings_by_id', { runId: result.run.runId, ringIds: result.dissolvedRingIds });
      if (result.events.length > 0) await tx.run('detect/write_events', { ...common, events: eventRows(result.events) });
      if (result.hubs.length > 0) await tx.run('detect/write_hubs', { hubs: hubRows(result.hubs) });
      await writeAlerts(tx, result.alerts);
      await tx.run('detect/write_reported', { reported: result.reported });
      await tx.run('detect/write_run', runRow(result.run));
    }, meta);
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

function storedRing(row: Row): StoredRing {
  return {
    ringId: String(row.ringId),
    sellerIds: row.sellerIds as string[],
    status: String(row.status) as RingStatus,
    riskScore: Number(row.riskScore ?? 0),
    flagged: row.flagged === true,
    factors: String(row.factors ?? '[]'),
    brands: (row.brands as string[] | null) ?? [],
    closures: Number(row.closures ?? 0),
  };
}

function ringRows(rings: DetectionResult['rings']) {
  return rings.map((ring) => ({
    ringId: ring.ringId,
    sellerIds: ring.sellerIds,
    riskScore: ring.score.riskScore,
    flagged: ring.score.flagged,
    factors: JSON.stringify(ring.score.factors),
    brands: ring.brands,
  }));
}

function eventRows(events: DetectionResult['events']) {
  return events.map(({ type, ringId, ...detail }) => ({ type, ringId, detail: JSON.stringify(detail) }));
}

function hubRows(hubs: DetectionResult['hubs']) {
  return hubs.map((hub) => ({
    label: LABEL_OF_KIND[hub.kind],
    key: hub.key,
    sellerCount: int(hub.sellerCount),
    touches: hub.touches.map((t) => ({ ringId: t.ringId, sellers: int(t.sellers) })),
  }));
}

function runRow(run: DetectionResult['run']) {
  return {
    runId: run.runId,
    mode: run.mode,
    modeReason: run.modeReason,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    watermark: run.watermark,
    parameters: JSON.stringify(run.parameters),
    parameterKey: run.parameterKey,
    counts: JSON.stringify(run.counts),
    timings: JSON.stringify(run.timings),
    modularity: run.modularity,
  };
}

