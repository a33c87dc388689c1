// The closures done on the ring, oldest first.
MATCH (:Ring {ringId: $ringId})<-[:OF_RING]-(c:Closure)
RETURN c.closureId AS closureId, c.at AS at, c.sellerIds AS sellerIds, c.reason AS reason,
       c.ringStatus AS ringStatus
ORDER BY at, closureId
