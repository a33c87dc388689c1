/**
 * One detection run, end to end: project the seller graph from the store, find communities,
 * score each ring, give rings their ids across runs, and hand the result back to the store.
 * The store is an interface (src/graph/detectionStore.ts reads and writes Neo4j), so this file
 * holds no driver code and the in-database path (Neo4j GDS) could implement the same steps.
 */
import { randomUUID } from 'node:crypto';
import { randomBase32 } from '../canonical.ts';
import { detectCommunities, type CommunityOptions } from './communities.ts';
import { hubRingTouches } from './hubRingTouches.ts';
import { matchRingsToPrevious, type IdentityEvent, type PreviousRing } from './identity.ts';
import { RING_ID_LENGTH, RING_ID_PREFIX, type IdentifierKind } from '../vocabulary.ts';
import { SellerGraphBuilder, type IdentifierGroup, type ProjectionOptionsInput } from './projection.ts';
import { scoreRing, type RingFacts, type RingScore, type ScoringOptionsInput } from './scoring.ts';

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

export interface DetectionRunRecord {
  runId: string;
  startedAt: string;
  finishedAt: string;
  parameters: Record<string, unknown>;
  counts: Record<string, number>;
  timings: Record<string, number>;
  modularity: number;
}

/** What detection needs from where the marketplace lives. */
export interface DetectionStore {
  /** Every identifier shared by two or more sellers, each exactly once, streamed. */
  identifierGroups(): AsyncIterable<IdentifierGroup>;
  previousRings(): Promise<PreviousRing[]>;
  /** Facts for scoring, one per ring given, same order; reads in batches. */
  ringFacts(rings: readonly (readonly string[])[]): Promise<(RingFacts & { brands: string[] })[]>;
  writeResult(result: { rings: RingToWrite[]; hubs: HubToWrite[]; events: IdentityEvent[]; run: DetectionRunRecord }): Promise<void>;
}

export interface DetectionOptions {
  projection?: ProjectionOptionsInput;
  communities?: Partial<CommunityOptions>;
  scoring?: ScoringOptionsInput;
  /** Makes ids for new rings (injected by tests); default `R-` + 8 random base32 characters. */
  newRingId?: () => string;
  clock?: () => Date;
  onPhase?: (phase: string) => void;
}

export interface DetectionSummary {
  run: DetectionRunRecord;
  rings: RingToWrite[];
  hubs: HubToWrite[];
  events: IdentityEvent[];
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

  const projection = await time('projectionMs', async () => {
    const builder = new SellerGraphBuilder(options.projection);
    for await (const group of store.identifierGroups()) builder.addGroup(group);
    return builder.finish();
  });
  timings.sortEdgesMs = Math.round(projection.timings.sortEdgesMs);

  const communities = await time('communitiesMs', () => detectCommunities(projection, options.communities));
  timings.buildGraphMs = Math.round(communities.timings.buildGraphMs);
  timings.louvainMs = Math.round(communities.timings.louvainMs);
  const rings = communities.communities;

  const previous = await time('previousRingsMs', () => store.previousRings());
  const issued = new Set(previous.map((p) => p.ringId));
  const newRingId = options.newRingId ?? (() => {
    let id = randomRingId();
    while (issued.has(id)) id = randomRingId();
    issued.add(id);
    return id;
  });
  const identity = matchRingsToPrevious(previous, rings, { newId: newRingId });

  const scored = await time('scoringMs', async () => {
    const facts = await store.ringFacts(rings);
    return identity.assignments.map((assignment, i): RingToWrite => {
      const ringFacts = facts[i]!;
      return { ringId: assignment.ringId, sellerIds: [...assignment.sellerIds], score: scoreRing(ringFacts, options.scoring), brands: ringFacts.brands };
    });
  });

  const hubs: HubToWrite[] = hubRingTouches(projection, rings).map((touch) => ({
    kind: touch.kind,
    key: touch.key,
    sellerCount: touch.sellerCount,
    touches: touch.rings.map((r, i) => ({ ringId: scored[r]!.ringId, sellers: touch.ringSellers[i]! })),
  }));

  const run: DetectionRunRecord = {
    runId: randomUUID(),
    startedAt,
    finishedAt: startedAt,
    parameters: {
      projection: projection.options,
      communities: communities.options,
      louvainResolution: communities.louvainResolution,
      scoring: options.scoring ?? {},
    },
    counts: {
      sellers: projection.stats.sellers,
      links: projection.stats.links,
      edges: projection.stats.edges,
      hubs: projection.stats.hubs,
      rings: scored.length,
      flaggedRings: scored.filter((r) => r.score.flagged).length,
      sellersInRings: scored.reduce((n, r) => n + r.sellerIds.length, 0),
      disconnectedCommunitiesSplit: communities.disconnectedCommunities,
      previousRings: previous.length,
    },
    timings,
    modularity: communities.modularity,
  };

  await time('writeBackMs', () => store.writeResult({ rings: scored, hubs, events: identity.events, run: { ...run, finishedAt: clock().toISOString() } }));
  run.finishedAt = clock().toISOString();
  return { run, rings: scored, hubs, events: identity.events };
}
