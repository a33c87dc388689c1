// A ring by id, when the caller may see it: any ring for an analyst ($brandKey null), and for a
// brand only a ring one of whose members lists that brand.
MATCH (r:Ring {ringId: $ringId})
WHERE $brandKey IS NULL
   OR EXISTS { (r)<-[:MEMBER_OF]-(:Seller)<-[:LISTED_BY]-(:Listing {brandKey: $brandKey}) }
RETURN r.ringId AS ringId, coalesce(r.riskScore, 0.0) AS riskScore, coalesce(r.flagged, false) AS flagged,
       r.factors AS factors, r.size AS size, coalesce(r.brands, []) AS brands,
       r.firstSeen AS firstSeen, r.lastSeen AS lastSeen, coalesce(r.active, true) AS active,
       coalesce(r.status, $vocabulary.ringStatus.open) AS status
