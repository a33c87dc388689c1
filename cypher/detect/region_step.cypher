// One step of the search for the region an incremental run re-clusters (src/analysis/region.ts):
// the identifiers of the given sellers not yet seen, each with every seller linked to it, its
// size, and how many of its links are declared addresses (for address vs origin, as in
// groups_address.cypher). A hub already marked (detection marked it on an earlier run) comes with
// the given sellers only: it is not crossed, and its thousands of sellers are not read.
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
WITH i, via, [label IN labels(i) WHERE label <> 'Hub'][0] AS label
WHERE NOT (label + '|' + i.key) IN $seen
CALL (i) {
  OPTIONAL MATCH (i)<-[r:PAYS_INTO|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH|USES_ADDRESS|SHIPS_FROM]-(x:Seller)
  RETURN count(DISTINCT x) AS direct, sum(CASE WHEN type(r) = 'USES_ADDRESS' THEN 1 ELSE 0 END) AS declared
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:HAS_IMAGE]-(:Listing)-[:LISTED_BY]->(x:Seller)
  RETURN count(DISTINCT x) AS pictured
}
WITH i, via, label, declared, direct + pictured AS sellerCount, coalesce(i.hub, false) AS markedHub
CALL (i, markedHub, via) {
  WITH i WHERE NOT markedHub
  CALL (i) {
    MATCH (i)<-[:PAYS_INTO|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH|USES_ADDRESS|SHIPS_FROM]-(x:Seller)
    RETURN x
    UNION
    MATCH (i)<-[:HAS_IMAGE]-(:Listing)-[:LISTED_BY]->(x:Seller)
    RETURN x
  }
  RETURN collect(DISTINCT x.sellerId) AS sellerIds
  UNION
  WITH via WHERE markedHub
  RETURN via AS sellerIds
}
RETURN label, i.key AS key, declared, sellerCount, markedHub, sellerIds
