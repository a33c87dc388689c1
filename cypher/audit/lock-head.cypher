// Takes the write lock on the one audit head before reading it (Neo4j's documented way to avoid
// lost updates under read-committed isolation): appends queue here, so seq has no gaps.
MERGE (h:AuditHead {id: 'audit'})
  ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.lockedBy = $requestId
RETURN h.seq AS seq, h.hash AS hash
