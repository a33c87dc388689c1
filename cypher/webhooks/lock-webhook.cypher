// Takes the webhook's write lock before its deliveries are enqueued: a removal that commits first
// is then seen by the enqueue (cypher/webhooks/enqueue.cypher, the next statement of the same
// transaction), and one that comes later waits and cancels what was enqueued.
MATCH (w:Webhook {webhookId: $webhookId})
SET w.lastFanOutAt = datetime($now)
RETURN w.webhookId AS webhookId
