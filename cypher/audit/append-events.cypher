// Appends a batch of hash-chained audit events (already chained in order from the head this
// transaction locked) and moves the head to the last of them, in one statement.
UNWIND $events AS event
CREATE (:AuditEvent {
  seq: event.seq, at: event.at, keyId: event.keyId, role: event.role, action: event.action,
  target: event.target, requestId: event.requestId, detail: event.detail,
  prevHash: event.prevHash, hash: event.hash
})
WITH count(*) AS written
MATCH (h:AuditHead {id: 'audit'})
SET h.seq = $headSeq, h.hash = $headHash
RETURN written
