// The alerts among $alertIds that the scope may see and whose kind is one of $kinds, created at or
// after $since (each null = any): what the webhook dispatcher fans out and sends. Scope lines as
// in list-newest.cypher.
UNWIND $alertIds AS alertId
MATCH (a:Alert {alertId: alertId})-[:ALERT_ON]->(r:Ring)
WHERE ($kinds IS NULL OR a.kind IN $kinds)
  AND ($since IS NULL OR a.createdAt >= datetime($since))
  AND ($brandKey IS NULL OR EXISTS { (r)<-[:MEMBER_OF]-(:Seller)<-[:LISTED_BY]-(:Listing {brandKey: $brandKey}) })
  AND ($agencyKey IS NULL OR EXISTS { (r)<-[:OF_RING]-(:Referral {agencyKey: $agencyKey}) })
RETURN a.alertId AS alertId, a.kind AS kind, a.ringId AS ringId, a.sellerIds AS sellerIds,
       a.createdAt AS createdAt, a.evidence AS evidence,
       coalesce(r.riskScore, 0.0) AS riskScore, coalesce(r.flagged, false) AS flagged,
       coalesce(r.status, $vocabulary.ringStatus.open) AS status, r.size AS size
ORDER BY createdAt DESC, alertId DESC
