// Appends one hash-chained audit event and moves the head, in the transaction that locked it.
MATCH (h:AuditHead {id: 'audit'})
CREATE (e:AuditEvent {
  seq: $seq, at: $at, keyId: $keyId, role: $role, action: $action, target: $target,
  requestId: $requestId, detail: $detail, prevHash: $prevHash, hash: $hash
})
SET h.seq = $seq, h.hash = $hash
RETURN e.seq AS seq
