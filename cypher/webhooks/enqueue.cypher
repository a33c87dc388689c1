// One delivery per (webhook, alert), made once however many dispatchers fan out the same alert
// (the pair is unique): its event id is fixed here and every attempt sends it.
MATCH (w:Webhook {webhookId: $webhookId})
WHERE w.removedAt IS NULL
UNWIND $alertIds AS alertId
MATCH (a:Alert {alertId: alertId})
MERGE (d:WebhookDelivery {webhookId: w.webhookId, alertId: alertId})
  ON CREATE SET d.eventId = randomUUID(), d.status = $vocabulary.deliveryStatus.pending, d.attempts = 0,
                d.createdAt = datetime($now), d.nextAttemptAt = datetime($now)
MERGE (w)-[:DELIVERS]->(d)
MERGE (d)-[:OF_ALERT]->(a)
RETURN count(d) AS deliveries
