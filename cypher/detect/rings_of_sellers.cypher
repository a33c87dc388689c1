// The active rings of some sellers, each once, with all their members and the same fields as
// previous_rings.cypher: the rings an incremental run re-clusters (docs/live.md, "Incremental detection").
UNWIND $sellerIds AS sellerId
MATCH (:Seller {sellerId: sellerId})-[:MEMBER_OF]->(r:Ring {active: true})
WITH DISTINCT r
OPTIONAL MATCH (s:Seller)-[:MEMBER_OF]->(r)
WITH r, collect(s.sellerId) AS sellerIds
RETURN r.ringId AS ringId, sellerIds, coalesce(r.status, $vocabulary.ringStatus.open) AS status,
       r.riskScore AS riskScore, r.flagged AS flagged, r.factors AS factors, coalesce(r.brands, []) AS brands,
       COUNT { (c:Closure)-[:OF_RING]->(r) WHERE c.dryRun = false } AS closures
