// Closes the chosen members and, when none is left open, the ring; the closure records the outcome.
MATCH (c:Closure {closureId: $closureId})
MATCH (r:Ring {ringId: $ringId})
MERGE (c)-[:OF_RING]->(r)
WITH c, r
CALL (c, r) {
  UNWIND $sellerIds AS sellerId
  MATCH (s:Seller {sellerId: sellerId})-[:MEMBER_OF]->(r)
  WHERE coalesce(s.status, '') <> $vocabulary.storeStatus.closed
  // changedAt: the closure feeds the ring's score (prior closures) at the next incremental detection.
  SET s.status = $vocabulary.storeStatus.closed, s.closedAt = c.at, s.closedBy = c.closureId, s.changedAt = datetime.transaction()
  MERGE (c)-[:CLOSED]->(s)
  RETURN count(s) AS closed
}
CALL (r) {
  OPTIONAL MATCH (r)<-[:MEMBER_OF]-(m:Seller)
  WHERE coalesce(m.status, '') <> $vocabulary.storeStatus.closed
  RETURN count(m) AS stillOpen
}
WITH c, r, closed, CASE WHEN stillOpen = 0 THEN $vocabulary.ringStatus.closed ELSE coalesce(r.status, $vocabulary.ringStatus.open) END AS ringStatus
SET r.status = ringStatus, c.sellerIds = $sellerIds, c.ringStatus = ringStatus, c.ringClosed = (ringStatus = $vocabulary.ringStatus.closed)
RETURN closed, ringStatus
