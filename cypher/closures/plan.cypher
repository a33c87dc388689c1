// The ring to close and its members with their status. A real closure takes the ring's write
// lock first (`$lockBy` set): closures of one ring then run one after another, and each reads the
// statuses the one before it committed, so no store is closed twice and one closure closes the ring.
MATCH (r:Ring {ringId: $ringId})
CALL (r) {
  WITH r WHERE $lockBy IS NOT NULL
  SET r.closureLockedBy = $lockBy
}
OPTIONAL MATCH (r)<-[:MEMBER_OF]-(s:Seller)
WITH r, collect({sellerId: s.sellerId, status: coalesce(s.status, 'active')}) AS members
RETURN r.ringId AS ringId, coalesce(r.status, $vocabulary.ringStatus.open) AS status,
       [m IN members WHERE m.sellerId IS NOT NULL] AS members
