// The webhooks that get alerts, with their scope and subscribed kinds (no secret: fanning out needs none).
MATCH (w:Webhook)
WHERE w.removedAt IS NULL
RETURN w.webhookId AS webhookId, w.events AS events, w.brandKey AS brandKey, w.agencyKey AS agencyKey,
       w.createdAt AS createdAt
ORDER BY createdAt, webhookId
