// What an attempt came to, written only while the attempt still holds its lease (a dispatcher
// whose lease ran out, and whose delivery another took, changes nothing): delivered, failed for
// good, cancelled, or pending again until $nextAttemptAt. The lease ends either way.
MATCH (d:WebhookDelivery {eventId: $eventId})
REMOVE d.lockedBy
WITH d
WHERE d.status = $vocabulary.deliveryStatus.pending AND d.leaseOwner = $owner AND d.attempts = $attempt
SET d.status = $status,
    d.lastAttemptAt = datetime($now),
    d.lastHttpStatus = $httpStatus,
    d.lastError = $error,
    d.nextAttemptAt = CASE WHEN $nextAttemptAt IS NULL THEN d.nextAttemptAt ELSE datetime($nextAttemptAt) END,
    d.deliveredAt = CASE WHEN $status = $vocabulary.deliveryStatus.delivered THEN datetime($now) ELSE d.deliveredAt END,
    d.failedAt = CASE WHEN $status = $vocabulary.deliveryStatus.failed THEN datetime($now) ELSE d.failedAt END,
    d.cancelledAt = CASE WHEN $status = $vocabulary.deliveryStatus.cancelled THEN datetime($now) ELSE d.cancelledAt END,
    d.leaseUntil = null, d.leaseOwner = null
RETURN d.eventId AS eventId, d.status AS status
