// Removes a webhook: it gets nothing more, its secret is forgotten and its pending deliveries are
// cancelled. The webhook node stays, so that its deliveries keep saying where they went. A second
// remove keeps the first time.
MATCH (w:Webhook {webhookId: $webhookId})
SET w.removedAt = coalesce(w.removedAt, datetime($at))
REMOVE w.secret
WITH w
CALL (w) {
  OPTIONAL MATCH (d:WebhookDelivery {webhookId: w.webhookId, status: $vocabulary.deliveryStatus.pending})
  SET d.status = $vocabulary.deliveryStatus.cancelled, d.cancelledAt = datetime($at), d.leaseUntil = null, d.leaseOwner = null
  RETURN count(d) AS cancelled
}
RETURN w.webhookId AS webhookId, w.removedAt AS removedAt, cancelled
