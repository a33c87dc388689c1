// One page of active rings, riskiest first, ties by ring id: keyset pagination, so a page starts
// strictly after the last (riskScore, ringId) seen and rings written meanwhile neither repeat nor
// shift the pages. Every filter is optional (null = any).
MATCH (r:Ring)
WITH r, coalesce(r.riskScore, 0.0) AS risk
WHERE coalesce(r.active, true)
  AND ($flagged IS NULL OR coalesce(r.flagged, false) = $flagged)
  AND ($minRisk IS NULL OR risk >= $minRisk)
  AND ($status IS NULL OR coalesce(r.status, 'open') = $status)
  AND ($afterRisk IS NULL OR risk < $afterRisk OR (risk = $afterRisk AND r.ringId > $afterRingId))
  AND ($brandKey IS NULL OR EXISTS { (r)<-[:MEMBER_OF]-(:Seller)<-[:LISTED_BY]-(:Listing {brandKey: $brandKey}) })
RETURN r.ringId AS ringId, risk AS riskScore, coalesce(r.flagged, false) AS flagged, r.size AS size,
       coalesce(r.brands, []) AS brands, coalesce(r.status, 'open') AS status
ORDER BY riskScore DESC, ringId ASC
LIMIT $limit
