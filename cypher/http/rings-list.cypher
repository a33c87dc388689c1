// One page of active rings, riskiest first, ties by ring id: keyset pagination, so a page starts
// strictly after the last (riskScore, ringId) seen and rings written meanwhile neither repeat nor
// shift the pages. Every filter is optional (null = any). Ordering on the bare riskScore property
// lets the planner walk the ring_risk index in order and stop at the page's end.
MATCH (r:Ring)
WHERE r.riskScore IS NOT NULL
  AND coalesce(r.active, true)
  AND ($flagged IS NULL OR coalesce(r.flagged, false) = $flagged)
  AND ($minRisk IS NULL OR r.riskScore >= $minRisk)
  AND ($status IS NULL OR coalesce(r.status, $vocabulary.ringStatus.open) = $status)
  AND ($afterRisk IS NULL OR r.riskScore < $afterRisk OR (r.riskScore = $afterRisk AND r.ringId > $afterRingId))
  AND ($brandKey IS NULL OR EXISTS { (r)<-[:MEMBER_OF]-(:Seller)<-[:LISTED_BY]-(:Listing {brandKey: $brandKey}) })
WITH r ORDER BY r.riskScore DESC, r.ringId ASC
LIMIT $limit
RETURN r.ringId AS ringId, r.riskScore AS riskScore, coalesce(r.flagged, false) AS flagged, r.size AS size,
       coalesce(r.brands, []) AS brands, coalesce(r.status, $vocabulary.ringStatus.open) AS status
ORDER BY riskScore DESC, ringId ASC
