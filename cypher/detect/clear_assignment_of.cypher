// An incremental run's part of clear_assignment.cypher: the ring assignment of the sellers whose
// rings it rewrites or dissolves, and the hub touches of the rings it rewrites.
UNWIND $sellerIds AS sellerId
MATCH (s:Seller {sellerId: sellerId})
OPTIONAL MATCH (s)-[m:MEMBER_OF]->(:Ring)
DELETE m
REMOVE s.ringId, s.ringRisk
WITH count(*) AS cleared
UNWIND $ringIds AS ringId
MATCH (:Ring {ringId: ringId})-[t:TOUCHES_HUB]->()
DELETE t
RETURN cleared, count(t) AS touchesCleared
