// A new webhook. The secret is kept as given: deliveries are signed with it (docs/live.md, "Webhooks").
CREATE (w:Webhook {
  webhookId: $webhookId, url: $url, events: $events, secret: $secret,
  brand: $brand, brandKey: $brandKey, agency: $agency, agencyKey: $agencyKey,
  allowPrivate: $allowPrivate, createdAt: datetime($createdAt)
})
RETURN w.webhookId AS webhookId, w.createdAt AS createdAt
