import { describe, expect, it } from 'vitest';
import { detectCommunities } from '../../../src/analysis/communities.ts';
import { hubRingTouches } from '../../../src/analysis/hubRingTouches.ts';
import type { IdentifierKind } from '../../../src/vocabulary.ts';
import { SellerGraphBuilder, type IdentifierGroup } from '../../../src/analysis/projection.ts';
import { createRng } from '../../../src/analysis/rng.ts';
import { sellerGraphOf } from '../../support/sellerGraph.ts';

/**
 * Smoke test on 20,000 random sellers: completes, and the output keeps its promises (rings are
 * disjoint, connected, of two or more sellers; every seller is a ring member or a singleton; hubs
 * are reported). Speed is measured in bench/detect, not here.
 */
describe('projection and communities on 20,000 random sellers', () => {
  it('produces disjoint, connected rings and accounts for every seller', () => {
    const sellers = 20_000;
    const rng = createRng(2024);
    const pick = () => `s${Math.floor(rng() * sellers)}`;
    const kinds: IdentifierKind[] = ['paymentAccount', 'phone', 'carrierAccount', 'address', 'origin', 'imageHash'];
    const builder = new SellerGraphBuilder();
    for (let i = 0; i < sellers; i++) builder.addSeller(`s${i}`);
    const page: IdentifierGroup[] = [];
    for (let g = 0; g < 30_000; g++) {
      // Mostly one or two sellers per identifier, sometimes up to 12.
      const size = rng() < 0.6 ? 1 : rng() < 0.8 ? 2 : 3 + Math.floor(rng() * 10);
      page.push({ kind: kinds[g % kinds.length]!, key: `k${g}`, sellerIds: Array.from({ length: size }, pick) });
      if (page.length === 1000) builder.addGroups(page.splice(0));
    }
    builder.addGroup({ kind: 'origin', key: 'fulfilment', sellerIds: Array.from({ length: 2000 }, pick) });
    const projection = builder.finish();
    expect(projection.stats.sellers).toBe(sellers);
    expect(projection.hubs.map((h) => h.key)).toEqual(['fulfilment']);

    const detection = detectCommunities(projection, { seed: 9 });
    const graph = sellerGraphOf(projection);
    const seen = new Set<string>();
    let repeated = 0;
    let disconnected = 0;
    for (const ring of detection.communities) {
      expect(ring.length).toBeGreaterThanOrEqual(2);
      for (const sellerId of ring) {
        if (seen.has(sellerId)) repeated++;
        seen.add(sellerId);
      }
      // Connected within the ring: BFS over the ring's own members.
      const members = new Set(ring);
      const reached = new Set([ring[0]!]);
      const queue = [ring[0]!];
      while (queue.length > 0) {
        graph.forEachNeighbor(queue.pop()!, (neighbor) => {
          if (members.has(neighbor) && !reached.has(neighbor)) {
            reached.add(neighbor);
            queue.push(neighbor);
          }
        });
      }
      if (reached.size !== ring.length) disconnected++;
    }
    expect(repeated).toBe(0);
    expect(disconnected).toBe(0);
    expect(seen.size + detection.singletons).toBe(sellers);
    expect(detection.communities.length).toBeGreaterThan(100);
    expect(detection.modularity).toBeGreaterThan(0);
    expect(detection.modularity).toBeLessThanOrEqual(1);
    expect(hubRingTouches(projection, detection.communities)[0]!.rings.length).toBeGreaterThan(0);
  });
});
