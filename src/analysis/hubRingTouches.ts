/**
 * Which rings each hub touches. A hub (an identifier shared by too many sellers to link them, left
 * out of the projection; docs/detection.md, "Hubs") glues nothing together, but an analyst still
 * wants to see that a ring's stores use the same fulfilment centre or payment aggregator.
 */
import type { IdentifierKind } from '../vocabulary.ts';
import type { Hub, SellerProjection } from './projection.ts';

/** A hub and the rings its sellers belong to, to show which rings a left-out identifier touches. */
export interface HubRingTouch {
  kind: IdentifierKind;
  key: string;
  sellerCount: number;
  /** Indices into the rings list given, ascending. */
  rings: number[];
  /** How many of the hub's sellers are in each of those rings (same order as `rings`). */
  ringSellers: number[];
  /** How many of the hub's sellers are in some ring. */
  sellersInRings: number;
}

/** For each hub of the projection (same order), the rings (from detectCommunities) that its sellers belong to. */
export function hubRingTouches(
  projection: Pick<SellerProjection, 'hubs' | 'indexOf' | 'sellerIds'>,
  rings: readonly (readonly string[])[],
): HubRingTouch[] {
  const ringOf = new Int32Array(projection.sellerIds.length).fill(-1);
  rings.forEach((ring, r) => {
    for (const sellerId of ring) {
      const node = projection.indexOf(sellerId);
      if (node !== undefined) ringOf[node] = r;
    }
  });
  return projection.hubs.map((hub: Hub) => {
    const perRing = new Map<number, number>();
    let sellersInRings = 0;
    for (const node of hub.nodeIndices) {
      const r = ringOf[node]!;
      if (r >= 0) {
        perRing.set(r, (perRing.get(r) ?? 0) + 1);
        sellersInRings++;
      }
    }
    const touched = [...perRing.keys()].sort((a, b) => a - b);
    return {
      kind: hub.kind,
      key: hub.key,
      sellerCount: hub.sellerCount,
      rings: touched,
      ringSellers: touched.map((r) => perRing.get(r)!),
      sellersInRings,
    };
  });
}
