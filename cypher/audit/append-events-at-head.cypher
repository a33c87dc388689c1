// Appends a batch of hash-chained audit events in one statement when the chain still ends where
// the batch was chained from ($fromSeq, $fromHash): takes the head's write lock first (as
// audit/lock-head does; a property read after the lock is the committed one), and answers no row,
// writing nothing, when another append moved the head meanwhile (then the caller locks, reads and
// chains again). One round trip for the batches of a process that appends alone.
MERGE (h:AuditHead {id: 'audit'})
  ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.lockedBy = $requestId
WITH h
WHERE h.seq = $fromSeq AND h.hash = $fromHash
SET h.seq = $headSeq, h.hash = $headHash
WITH h
UNWIND $events AS event
CREATE (:AuditEvent {
  seq: event.seq, at: event.at, keyId: event.keyId, role: event.role, action: event.action,
  target: event.target, requestId: event.requestId, detail: event.detail,
  prevHash: event.prevHash, hash: event.hash
})
RETURN h.seq AS seq, count(*) AS written
