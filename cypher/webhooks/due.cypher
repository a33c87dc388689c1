// Deliveries due for an attempt and not leased, at most one per webhook (one in flight per webhook
// and process, so a receiver that hangs holds one slot, never all), none of a webhook this process
// is sending to already ($busyWebhookIds), the longest waiting first. Read without locks: the
// claim locks them and checks again (cypher/webhooks/claim.cypher).
MATCH (d:WebhookDelivery)
WHERE d.status = $vocabulary.deliveryStatus.pending
  AND d.nextAttemptAt <= datetime($now)
  AND (d.leaseUntil IS NULL OR d.leaseUntil <= datetime($now))
  AND NOT d.webhookId IN $busyWebhookIds
WITH d ORDER BY d.nextAttemptAt, d.eventId
WITH d.webhookId AS webhookId, collect(d)[0] AS d
WITH d ORDER BY d.nextAttemptAt, d.eventId
LIMIT $limit
RETURN d.eventId AS eventId
