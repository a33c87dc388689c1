// One page of alerts, newest first (ties by alert id): keyset pagination, each page strictly after
// the last (createdAt, alertId) seen. Every filter is optional (null = any). The scope lines
// (brandKey, agencyKey) are the same in every cypher/alerts/ read, and a unit test holds them so:
// a brand sees alerts on rings it may open the dossier of (a member lists its brand), an agency
// alerts on rings referred to it.
MATCH (a:Alert)-[:ALERT_ON]->(r:Ring)
WHERE a.createdAt IS NOT NULL
  AND ($kinds IS NULL OR a.kind IN $kinds)
  AND ($since IS NULL OR a.createdAt >= datetime($since))
  AND ($afterCreatedAt IS NULL OR a.createdAt < datetime($afterCreatedAt)
       OR (a.createdAt = datetime($afterCreatedAt) AND a.alertId < $afterAlertId))
  AND ($brandKey IS NULL OR EXISTS { (r)<-[:MEMBER_OF]-(:Seller)<-[:LISTED_BY]-(:Listing {brandKey: $brandKey}) })
  AND ($agencyKey IS NULL OR EXISTS { (r)<-[:OF_RING]-(:Referral {agencyKey: $agencyKey}) })
WITH a, r ORDER BY a.createdAt DESC, a.alertId DESC
LIMIT $limit
RETURN a.alertId AS alertId, a.kind AS kind, a.ringId AS ringId, a.sellerIds AS sellerIds,
       a.createdAt AS createdAt, a.evidence AS evidence,
       coalesce(r.riskScore, 0.0) AS riskScore, coalesce(r.flagged, false) AS flagged,
       coalesce(r.status, $vocabulary.ringStatus.open) AS status, r.size AS size
ORDER BY createdAt DESC, alertId DESC
