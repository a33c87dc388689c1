// Leases the locked deliveries that are still due and unleased and whose webhook is still active:
// until the lease ends no other dispatcher sends them, and if this one dies (SIGKILL) another
// takes them once it has. Returns what the attempt needs, the webhook's secret included.
UNWIND $eventIds AS eventId
MATCH (d:WebhookDelivery {eventId: eventId})
REMOVE d.lockedBy
WITH d
WHERE d.status = $vocabulary.deliveryStatus.pending
  AND d.nextAttemptAt <= datetime($now)
  AND (d.leaseUntil IS NULL OR d.leaseUntil <= datetime($now))
MATCH (w:Webhook {webhookId: d.webhookId})
WHERE w.removedAt IS NULL AND w.secret IS NOT NULL
SET d.leaseUntil = datetime($leaseUntil), d.leaseOwner = $owner, d.attempts = coalesce(d.attempts, 0) + 1,
    d.firstAttemptAt = coalesce(d.firstAttemptAt, datetime($now))
RETURN d.eventId AS eventId, d.alertId AS alertId, d.attempts AS attempt, d.createdAt AS createdAt,
       d.firstAttemptAt AS firstAttemptAt, w.webhookId AS webhookId, w.url AS url, w.secret AS secret,
       coalesce(w.allowPrivate, false) AS allowPrivate, w.brandKey AS brandKey, w.agencyKey AS agencyKey
