// What detection runs said about the ring, oldest first: its identity events (new, continued,
// merged, split, dissolved) and the alerts raised on it (recidivism, ring_growth, new_ring, with
// the alert's id, stores and evidence; `alertId` is null for an identity event).
CALL () {
  MATCH (:Ring {ringId: $ringId})-[:HAD_EVENT]->(e:RingEvent)
  RETURN e.type AS type, e.runId AS runId, e.at AS at, e.detail AS detail,
         null AS alertId, null AS sellerIds, null AS evidence
  UNION ALL
  MATCH (:Ring {ringId: $ringId})<-[:ALERT_ON]-(a:Alert)
  RETURN a.kind AS type, a.runId AS runId, a.createdAt AS at, null AS detail,
         a.alertId AS alertId, a.sellerIds AS sellerIds, a.evidence AS evidence
}
RETURN type, runId, at, detail, alertId, sellerIds, evidence
ORDER BY at, runId, alertId IS NOT NULL, alertId
