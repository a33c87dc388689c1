// Takes the write lock of each delivery, in event id order (two dispatchers lock in one order and
// do not deadlock), so that the next statement of the transaction reads what a concurrent
// claim or outcome committed, not what it read before that commit.
UNWIND $eventIds AS eventId
WITH eventId ORDER BY eventId
MATCH (d:WebhookDelivery {eventId: eventId})
SET d.lockedBy = $owner
RETURN count(d) AS locked
