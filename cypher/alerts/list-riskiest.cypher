// One page of alerts on the riskiest rings first, then newest first (ties by alert id): how a
// governance team ranks its morning's work. Keyset pagination on (ring riskScore, createdAt,
// alertId); a ring rescored between two pages may move its alerts across the page boundary.
// Filters and scope lines as in list-newest.cypher.
MATCH (a:Alert)-[:ALERT_ON]->(r:Ring)
WHERE a.createdAt IS NOT NULL
  AND ($kinds IS NULL OR a.kind IN $kinds)
  AND ($since IS NULL OR a.createdAt >= datetime($since))
  AND ($brandKey IS NULL OR EXISTS { (r)<-[:MEMBER_OF]-(:Seller)<-[:LISTED_BY]-(:Listing {brandKey: $brandKey}) })
  AND ($agencyKey IS NULL OR EXISTS { (r)<-[:OF_RING]-(:Referral {agencyKey: $agencyKey}) })
WITH a, r, coalesce(r.riskScore, 0.0) AS risk
WHERE $afterRisk IS NULL OR risk < $afterRisk
   OR (risk = $afterRisk AND (a.createdAt < datetime($afterCreatedAt)
       OR (a.createdAt = datetime($afterCreatedAt) AND a.alertId < $afterAlertId)))
WITH a, r, risk ORDER BY risk DESC, a.createdAt DESC, a.alertId DESC
LIMIT $limit
RETURN a.alertId AS alertId, a.kind AS kind, a.ringId AS ringId, a.sellerIds AS sellerIds,
       a.createdAt AS createdAt, a.evidence AS evidence,
       risk AS riskScore, coalesce(r.flagged, false) AS flagged,
       coalesce(r.status, $vocabulary.ringStatus.open) AS status, r.size AS size
ORDER BY riskScore DESC, createdAt DESC, alertId DESC
