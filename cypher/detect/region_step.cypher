// One step of the search for the region an incremental run re-clusters (src/analysis/region.ts):
// the identifiers of the given sellers not yet seen, each with every seller linked to it, its
// size, and whether any of its links is a declared address (for address vs origin, as in
// groups_address.cypher). A hub already marked (detection marked it on an earlier run) comes with
// the given sellers only: it is not crossed, and its thousands of sellers are not read.
//
// With $storedHubCounts (the given sellers did not change since the last run), a marked hub's size
// is the one the last run stored (hubSellerCount) instead of a count over all its links: counting
// a fulfilment centre or a stock photo walks every one of its links, which at 1M sellers was most
// of an incremental run (bench/RESULTS.md, "Detection: incremental vs full"). The stored size is
// current: every new or removed link marks its seller changed, a changed seller's identifiers are
// counted in full ($storedHubCounts false), and each run writes back the size of every hub its
// region holds.
UNWIND $sellerIds AS sellerId
MATCH (s:Seller {sellerId: sellerId})
CALL (s) {
  MATCH (s)-[:PAYS_INTO|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH|USES_ADDRESS|SHIPS_FROM]->(i)
  RETURN i
  UNION
  MATCH (s)<-[:LISTED_BY]-(:Listing)-[:HAS_IMAGE]->(i:ImageHash)
  RETURN i
}
WITH i, collect(DISTINCT s.sellerId) AS via
WITH i, via, [label IN labels(i) WHERE label <> 'Hub'][0] AS label, coalesce(i.hub, false) AS markedHub
WHERE NOT (label + '|' + i.key) IN $seen
WITH i, via, label, markedHub, CASE WHEN markedHub AND $storedHubCounts THEN i.hubSellerCount END AS storedCount
// One walk over the identifier's links gives its size, its sellers (not for a marked hub) and its
// declared links; none for a hub whose size is stored (the aggregate still gives one row).
CALL (i, markedHub, storedCount) {
  WITH i, markedHub WHERE storedCount IS NULL
  CALL (i) {
    MATCH (i)<-[r:PAYS_INTO|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH|USES_ADDRESS|SHIPS_FROM]-(x:Seller)
    RETURN x, type(r) = 'USES_ADDRESS' AS declared
    UNION
    MATCH (i)<-[:HAS_IMAGE]-(:Listing)-[:LISTED_BY]->(x:Seller)
    RETURN x, false AS declared
  }
  RETURN count(DISTINCT x) AS counted,
         collect(DISTINCT CASE WHEN NOT markedHub THEN x.sellerId END) AS linked,
         sum(CASE WHEN declared THEN 1 ELSE 0 END) AS declaredLinks
}
RETURN label, i.key AS key,
       CASE WHEN storedCount IS NULL THEN declaredLinks
            WHEN EXISTS { (i)<-[:USES_ADDRESS]-(:Seller) } THEN 1 ELSE 0 END AS declared,
       coalesce(storedCount, counted) AS sellerCount, markedHub,
       CASE WHEN markedHub THEN via ELSE linked END AS sellerIds
