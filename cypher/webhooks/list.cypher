// Every webhook, oldest first, with how its deliveries stand; never its secret.
MATCH (w:Webhook)
CALL (w) {
  OPTIONAL MATCH (d:WebhookDelivery {webhookId: w.webhookId})
  RETURN count(CASE WHEN d.status = $vocabulary.deliveryStatus.pending THEN 1 END) AS pending,
         count(CASE WHEN d.status = $vocabulary.deliveryStatus.delivered THEN 1 END) AS delivered,
         count(CASE WHEN d.status = $vocabulary.deliveryStatus.failed THEN 1 END) AS failed,
         count(CASE WHEN d.status = $vocabulary.deliveryStatus.cancelled THEN 1 END) AS cancelled
}
RETURN w.webhookId AS webhookId, w.url AS url, w.events AS events, w.brand AS brand, w.agency AS agency,
       coalesce(w.allowPrivate, false) AS allowPrivate, w.createdAt AS createdAt, w.removedAt AS removedAt,
       pending, delivered, failed, cancelled
ORDER BY createdAt, webhookId
