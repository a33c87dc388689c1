/**
 * The part of the marketplace an incremental detection re-clusters (docs/live.md, "Incremental
 * detection"), found in two steps from the sellers whose links changed since the last run:
 *
 * 1. The affected sellers: the changed sellers and everyone who shares a (non-hub) identifier
 *    with one of them. These are the only sellers whose links in the projection changed: a new
 *    seller on an identifier adds pairs, and changes the weight of every pair through it
 *    (hub down-weighting by the identifier's size).
 * 2. The region: the affected sellers and every member of a ring any of them was in. A changed
 *    seller's neighbours are all affected, so each ring it could join is in the region; a ring
 *    that lost a tie (a listing moved away) is re-clustered whole.
 *
 * The region's projection holds every pair of region sellers with the weight it has in the whole
 * marketplace (each identifier comes with its full size). Pairs that leave the region are left
 * out: they are the ties of unaffected sellers, whose rings stay as they were. A full run can
 * still differ where Louvain's choice is a near tie (the order it visits sellers in differs), and
 * `ringwatch detect --full` re-clusters everything.
 *
 * Why not whole connected components: on real markets (and ours) weak ties (stock photos,
 * shared warehouses below the hub limit) join most linked sellers into one component (2,107 of
 * 3,516 on a generated 4k market), so re-clustering components would re-cluster nearly
 * everything on every run.
 */
import type { IdentifierKind } from '../vocabulary.ts';
import type { IdentifierGroup } from './projection.ts';
import type { StoredRing } from './storedRing.ts';

/** One identifier of the sellers asked about. */
export interface RegionStepRow {
  kind: IdentifierKind;
  key: string;
  /** Sellers linked to it in all. */
  sellerCount: number;
  /** All of them, or, for an identifier already marked as a hub, only the sellers asked about. */
  sellerIds: string[];
  /** Marked as a hub by an earlier run. */
  markedHub: boolean;
}

export interface RegionSource {
  /**
   * The identifiers of these sellers, leaving out those in `seen` (`kind|key`). With
   * `storedHubCounts` (sellers that did not change), a marked hub's size is the one the last run
   * stored rather than a count over its links: any change to a hub's links marks a changed seller,
   * whose identifiers are counted in full, and every run stores the size of the hubs in its region.
   */
  regionStep(sellerIds: readonly string[], seen: readonly string[], hubLimit: number, storedHubCounts: boolean): Promise<RegionStepRow[]>;
  /** The active rings of these sellers, with all their members. */
  ringsOf(sellerIds: readonly string[]): Promise<StoredRing[]>;
}

export interface Region {
  sellerIds: string[];
  /** Every identifier of a region seller, with the region's sellers and its full size. */
  groups: IdentifierGroup[];
  /** The active rings of the region's sellers. */
  previous: StoredRing[];
  /** Sellers affected by the changes (step 1). */
  affected: number;
  /** Store round trips made. */
  steps: number;
}

/** Sellers per store round trip. */
const STEP_BATCH = 2000;

export async function findRegion(source: RegionSource, changedSellers: readonly string[], hubLimit: number): Promise<Region> {
  let steps = 0;
  const identifiers = new Map<string, RegionStepRow>(); // read whole, by `kind|key`
  const hubs = new Map<string, RegionStepRow & { members: Set<string> }>();
  const identifiersOf = async (sellerIds: readonly string[], storedHubCounts: boolean) => {
    for (let start = 0; start < sellerIds.length; start += STEP_BATCH) {
      steps++;
      for (const row of await source.regionStep(sellerIds.slice(start, start + STEP_BATCH), [...identifiers.keys()], hubLimit, storedHubCounts)) {
        const id = `${row.kind}|${row.key}`;
        if (row.sellerCount <= hubLimit) {
          identifiers.set(id, row);
          continue;
        }
        // A hub is never read whole (a marked one comes with the sellers asked about): gather its
        // region sellers across batches, for the rings it touches.
        const hub = hubs.get(id) ?? { ...row, members: new Set<string>() };
        for (const sellerId of row.sellerIds) hub.members.add(sellerId);
        hubs.set(id, hub);
      }
    }
  };

  // 1. The changed sellers' identifiers, whole: everyone on them is affected. An identifier that
  //    became a hub since the last run (not marked yet, so read whole) lost its pairs: all its
  //    sellers are affected too. Hubs are counted in full here: a changed seller may have joined or left one.
  const changed = new Set(changedSellers);
  await identifiersOf([...changed], false);
  const affected = new Set(changed);
  for (const row of identifiers.values()) for (const id of row.sellerIds) affected.add(id);
  for (const hub of hubs.values()) if (!hub.markedHub) for (const id of hub.sellerIds) affected.add(id);

  // 2. Their rings, whole.
  const region = new Set(affected);
  const previous = new Map<string, StoredRing>();
  const affectedList = [...affected];
  for (let start = 0; start < affectedList.length; start += STEP_BATCH) {
    steps++;
    for (const ring of await source.ringsOf(affectedList.slice(start, start + STEP_BATCH))) {
      previous.set(ring.ringId, ring);
      for (const id of ring.sellerIds) region.add(id);
    }
  }

  // 3. The other region sellers' identifiers, for every pair inside the region. A hub met here
  //    and not in step 1 has no changed seller, so the size the last run stored is still its size
  //    (counting a fulfilment centre's links was most of an incremental run at 1M sellers).
  await identifiersOf([...region].filter((id) => !changed.has(id)), true);

  const groups: IdentifierGroup[] = [];
  for (const row of identifiers.values()) {
    const sellerIds = row.sellerIds.filter((id) => region.has(id));
    if (sellerIds.length > 0) groups.push({ kind: row.kind, key: row.key, sellerIds, sellerCount: row.sellerCount });
  }
  for (const hub of hubs.values()) {
    const sellerIds = [...hub.members].filter((id) => region.has(id));
    if (sellerIds.length > 0) groups.push({ kind: hub.kind, key: hub.key, sellerIds, sellerCount: hub.sellerCount });
  }
  return { sellerIds: [...region], groups, previous: [...previous.values()], affected: affected.size, steps };
}
