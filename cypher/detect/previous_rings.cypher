// The active rings of the previous run with their members and what an incremental run compares
// and alerts need (status, score, closures), for ring identity across runs.
MATCH (r:Ring {active: true})
OPTIONAL MATCH (s:Seller)-[:MEMBER_OF]->(r)
WITH r, collect(s.sellerId) AS sellerIds
RETURN r.ringId AS ringId, sellerIds, coalesce(r.status, $vocabulary.ringStatus.open) AS status,
       r.riskScore AS riskScore, r.flagged AS flagged, r.factors AS factors, coalesce(r.brands, []) AS brands,
       COUNT { (c:Closure)-[:OF_RING]->(r) WHERE c.dryRun = false } AS closures
