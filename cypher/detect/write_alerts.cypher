// The alerts a run raised (src/alerts/raise.ts), each on its ring; MERGE on the id, so a retried
// transaction does not write one twice.
UNWIND $alerts AS a
MATCH (r:Ring {ringId: a.ringId})
MERGE (alert:Alert {alertId: a.alertId})
  ON CREATE SET alert.kind = a.kind, alert.ringId = a.ringId, alert.sellerIds = a.sellerIds,
                alert.createdAt = datetime(a.createdAt), alert.runId = a.runId, alert.evidence = a.evidence
MERGE (alert)-[:ALERT_ON]->(r)
RETURN count(alert) AS alerts
