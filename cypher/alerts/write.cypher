// Alerts raised by a detection run, each hung on its ring, merged on alertId so that a retried
// transaction writes each once. A new alert is `Unrouted` until the webhook dispatcher has fanned
// it out to the webhooks that may see it (cypher/webhooks/fanout-*.cypher).
UNWIND $alerts AS alert
MATCH (r:Ring {ringId: alert.ringId})
MERGE (a:Alert {alertId: alert.alertId})
  ON CREATE SET a.kind = alert.kind, a.ringId = alert.ringId, a.sellerIds = alert.sellerIds,
                a.createdAt = datetime(alert.createdAt), a.runId = alert.runId, a.evidence = alert.evidence,
                a:Unrouted
MERGE (a)-[:ALERT_ON]->(r)
RETURN count(*) AS written
