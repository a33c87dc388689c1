/**
 * One detection run, end to end: project the seller graph from the store, find communities,
 * score each ring, give rings their ids across runs, raise alerts, and hand the result back to the
 * store. The store is an interface (src/graph/detectionStore.ts reads and writes Neo4j), so this
 * file holds no driver code and the in-database path (Neo4j GDS) could implement the same steps.
 *
 * Two modes (docs/live.md, "Incremental detection"): a full run re-clusters the whole marketplace;
 * an incremental run, the default once a finished run with the same parameters exists, only the
 * region around the sellers whose links changed since that run (region.ts), and writes only the
 * rings that changed, in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { canonicalJson, randomBase32 } from '../canonical.ts';
import { newAlertId } from '../alerts/alertStore.ts';
import { raiseAlerts, type RaisedAlert } from '../alerts/raise.ts';
import { RING_ID_LENGTH, RING_ID_PREFIX, type IdentifierKind } from '../vocabulary.ts';
import { detectCommunities, resolveCommunityOptions, type CommunityOptions } from './communities.ts';
import { hubRingTouches } from './hubRingTouches.ts';
import { matchRingsToPrevious, type IdentityEvent } from './identity.ts';
import { resolveProjectionOptions, SellerGraphBuilder, type IdentifierGroup, type ProjectionOptionsInput } from './projection.ts';
import { findRegion, type RegionSource } from './region.ts';
import { resolveScoringOptions, scoreRing, type RingFacts, type RingScore, type ScoringOptionsInput } from './scoring.ts';
import type { StoredRing } from './storedRing.ts';

export interface RingToWrite {
  ringId: string;
  sellerIds: string[];
  score: RingScore;
  brands: string[];
}

export interface HubToWrite {
  kind: IdentifierKind;
  key: string;
  sellerCount: number;
  touches: { ringId: string; sellers: number }[];
}

export type DetectionMode = 'full' | 'incremental';

export interface DetectionRunRecord {
  runId: string;
  mode: DetectionMode;
  /** Why a run is full: asked for, or the conditions for an incremental run did not hold. */
  modeReason: string;
  startedAt: string;
  finishedAt: string;
  /** Taken before the run began reading (DetectionStore.watermark): the next incremental run re-examines what changed after it. */
  watermark: string;
  parameters: Record<string, unknown>;
  /** The resolved parameters as one string: an incremental run needs the last run's to be equal. */
  parameterKey: string;
  counts: Record<string, number>;
  timings: Record<string, number>;
  modularity: number;
}

/** The latest run the store knows, finished or not. */
export interface LastRun {
  runId: string;
  completed: boolean;
  parameterKey: string | null;
  watermark: string | null;
}

/** A ring's facts for scoring and alerts, as the store reads them. */
export type RingFactsRead = Omit<RingFacts, 'members'> & {
  brands: string[];
  members: (RingFacts['members'][number] & { reportedRingId: string | null })[];
};

export interface DetectionResult {
  mode: DetectionMode;
  /** Rings to write: every ring in a full run; the changed ones in an incremental run. */
  rings: RingToWrite[];
  /** Incremental: sellers whose ring assignment is rewritten (members of the rings written and of the rings dissolved). */
  reassignedSellers: string[];
  /** Incremental: earlier rings this run did not find again. */
  dissolvedRingIds: string[];
  hubs: HubToWrite[];
  events: IdentityEvent[];
  alerts: RaisedAlert[];
  /** Newcomers now reported in their ring (src/alerts/raise.ts). */
  reported: { ringId: string; sellerIds: string[] }[];
  run: DetectionRunRecord;
}

/** What detection needs from where the marketplace lives. */
export interface DetectionStore extends RegionSource {
  /** Every identifier shared by two or more sellers, each exactly once, streamed. */
  identifierGroups(): AsyncIterable<IdentifierGroup>;
  /** Every active ring with its members. */
  previousRings(): Promise<StoredRing[]>;
  lastRun(): Promise<LastRun | null>;
  /**
   * Where the next incremental run starts looking for changes, taken before this run reads: the
   * store's clock (the one ingest marks changed sellers with), or the start of a write still open.
   */
  watermark(): Promise<string>;
  /** Sellers marked changed at or after `since`. */
  changedSellers(since: string): Promise<string[]>;
  /**
   * Facts for scoring, one per ring given, same order; reads in batches. Typical prices are
   * computed over the marketplace (`compute`) or read as the last full run stored them (`stored`).
   */
  ringFacts(rings: readonly (readonly string[])[], typicalPrices: 'compute' | 'stored'): Promise<RingFactsRead[]>;
  writeResult(result: DetectionResult): Promise<void>;
}

export interface DetectionOptions {
  projection?: ProjectionOptionsInput;
  communities?: Partial<CommunityOptions>;
  scoring?: ScoringOptionsInput;
  /** Re-cluster everything even when an incremental run is possible (`ringwatch detect --full`). */
  full?: boolean;
  /** Makes ids for new rings (injected by tests); default `R-` + 8 random base32 characters. */
  newRingId?: () => string;
  clock?: () => Date;
  onPhase?: (phase: string) => void;
}

export interface DetectionSummary {
  run: DetectionRunRecord;
  /** The rings this run clustered: all in a full run, the region's in an incremental one. */
  rings: RingToWrite[];
  hubs: HubToWrite[];
  events: IdentityEvent[];
  alerts: RaisedAlert[];
}

/** A new ring id (docs/architecture.md, "Vocabulary"). */
export function randomRingId(): string {
  return `${RING_ID_PREFIX}${randomBase32(RING_ID_LENGTH)}`;
}

export async function runDetection(store: DetectionStore, options: DetectionOptions = {}): Promise<DetectionSummary> {
  const clock = options.clock ?? (() => new Date());
  const startedAt = clock().toISOString();
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    options.onPhase?.(name);
    const t0 = performance.now();
    const value = await work();
    timings[name] = Math.round(performance.now() - t0);
    return value;
  };

  const projectionOptions = resolveProjectionOptions(options.projection);
  const parameterKey = canonicalJson({
    projection: projectionOptions,
    communities: resolveCommunityOptions(options.communities ?? {}),
    scoring: resolveScoringOptions(options.scoring),
  });
  const last = await store.lastRun();
  const plan = chooseMode(options.full === true, last, parameterKey);
  const watermark = await store.watermark();

  // What to cluster: the whole marketplace, or the region around the changed sellers.
  const input = await time('projectionMs', async () => {
    const builder = new SellerGraphBuilder(projectionOptions);
    if (plan.mode === 'full') {
      for await (const group of store.identifierGroups()) builder.addGroup(group);
      return { projection: builder.finish(), previous: await store.previousRings(), changed: -1, affected: -1, steps: 0 };
    }
    const changed = await store.changedSellers(plan.since);
    const region = await findRegion(store, changed, projectionOptions.hubLimit);
    builder.addGroups(region.groups);
    for (const sellerId of region.sellerIds) builder.addSeller(sellerId);
    return { projection: builder.finish(), previous: region.previous, changed: changed.length, affected: region.affected, steps: region.steps };
  });
  const { projection, previous } = input;
  timings.sortEdgesMs = Math.round(projection.timings.sortEdgesMs);

  const communities = await time('communitiesMs', () => detectCommunities(projection, options.communities));
  timings.buildGraphMs = Math.round(communities.timings.buildGraphMs);
  timings.louvainMs = Math.round(communities.timings.louvainMs);
  const rings = communities.communities;

  const issued = new Set(previous.map((p) => p.ringId));
  const newRingId = options.newRingId ?? (() => {
    let id = randomRingId();
    while (issued.has(id)) id = randomRingId();
    issued.add(id);
    return id;
  });
  const identity = matchRingsToPrevious(previous, rings, { newId: newRingId });
  const storedById = new Map(previous.map((ring) => [ring.ringId, ring]));

  const { scored, facts } = await time('scoringMs', async () => {
    const facts = await store.ringFacts(rings, plan.mode === 'full' ? 'compute' : 'stored');
    const scored = identity.assignments.map((assignment, i): RingToWrite => {
      const ringFacts = facts[i]!;
      return { ringId: assignment.ringId, sellerIds: [...assignment.sellerIds], score: scoreRing(ringFacts, options.scoring), brands: ringFacts.brands };
    });
    return { scored, facts };
  });

  const runId = randomUUID();
  const { alerts, reported } = raiseAlerts(
    scored.map((ring, i) => ({
      ringId: ring.ringId,
      continues: identity.assignments[i]!.previousRingId === undefined ? undefined : storedById.get(identity.assignments[i]!.previousRingId!),
      flagged: ring.score.flagged,
      members: facts[i]!.members.map((m) => ({ sellerId: m.sellerId, closedBefore: m.closedBefore === true, reportedRingId: m.reportedRingId })),
      sharedIdentifiers: facts[i]!.sharedIdentifiers,
    })),
    { runId, createdAt: startedAt, newAlertId },
  );

  // An incremental run writes only what changed: a ring that continues with the same members and
  // the same score is left as it is.
  const toWrite = plan.mode === 'full' ? scored : scored.filter((ring) => !unchanged(ring, storedById.get(ring.ringId)));
  const written = new Set(toWrite.map((ring) => ring.ringId));
  const continuedIds = new Set(identity.assignments.flatMap((a) => (a.previousRingId === undefined ? [] : [a.previousRingId])));
  const dissolvedRingIds = previous.filter((ring) => !continuedIds.has(ring.ringId)).map((ring) => ring.ringId);
  const reassignedSellers = [...new Set([...toWrite.flatMap((r) => r.sellerIds), ...previous.filter((r) => written.has(r.ringId) || !continuedIds.has(r.ringId)).flatMap((r) => r.sellerIds)])];

  const hubs: HubToWrite[] = hubRingTouches(projection, rings).map((touch) => ({
    kind: touch.kind,
    key: touch.key,
    sellerCount: touch.sellerCount,
    touches: touch.rings.map((r, i) => ({ ringId: scored[r]!.ringId, sellers: touch.ringSellers[i]! })).filter((t) => written.has(t.ringId)),
  }));
  const events = identity.events.filter((event) => event.type !== 'continued' || written.has(event.ringId));

  const run: DetectionRunRecord = {
    runId,
    mode: plan.mode,
    modeReason: plan.reason,
    startedAt,
    finishedAt: startedAt,
    watermark,
    parameters: {
      projection: projection.options,
      communities: communities.options,
      louvainResolution: communities.louvainResolution,
      scoring: options.scoring ?? {},
    },
    parameterKey,
    counts: {
      sellers: projection.stats.sellers,
      sellersReclustered: projection.stats.sellers,
      ...(plan.mode === 'incremental' ? { changedSellers: input.changed, affectedSellers: input.affected, regionSteps: input.steps } : {}),
      links: projection.stats.links,
      edges: projection.stats.edges,
      hubs: projection.stats.hubs,
      rings: scored.length,
      ringsWritten: toWrite.length,
      flaggedRings: scored.filter((r) => r.score.flagged).length,
      sellersInRings: scored.reduce((n, r) => n + r.sellerIds.length, 0),
      disconnectedCommunitiesSplit: communities.disconnectedCommunities,
      previousRings: previous.length,
      ringsDissolved: dissolvedRingIds.length,
      alerts: alerts.length,
    },
    timings,
    modularity: communities.modularity,
  };

  await time('writeBackMs', () =>
    store.writeResult({ mode: plan.mode, rings: toWrite, reassignedSellers, dissolvedRingIds, hubs, events, alerts, reported, run: { ...run, finishedAt: clock().toISOString() } }),
  );
  run.finishedAt = clock().toISOString();
  return { run, rings: scored, hubs, events, alerts };
}

function chooseMode(full: boolean, last: LastRun | null, parameterKey: string): { mode: 'full'; reason: string } | { mode: 'incremental'; reason: string; since: string } {
  if (full) return { mode: 'full', reason: 'asked for (--full)' };
  if (last === null) return { mode: 'full', reason: 'no earlier run' };
  if (!last.completed) return { mode: 'full', reason: `the last run (${last.runId}) did not finish writing` };
  if (last.parameterKey !== parameterKey || last.watermark === null) return { mode: 'full', reason: 'the last run had other parameters' };
  return { mode: 'incremental', reason: `changes since run ${last.runId}`, since: last.watermark };
}

function unchanged(ring: RingToWrite, stored: StoredRing | undefined): boolean {
  if (stored === undefined || stored.sellerIds.length !== ring.sellerIds.length) return false;
  const members = new Set(stored.sellerIds);
  return (
    ring.sellerIds.every((id) => members.has(id)) &&
    stored.riskScore === ring.score.riskScore &&
    stored.flagged === ring.score.flagged &&
    stored.factors === JSON.stringify(ring.score.factors) &&
    canonicalJson([...stored.brands].sort()) === canonicalJson([...ring.brands].sort())
  );
}
