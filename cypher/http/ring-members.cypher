// The members of a ring with what a reviewer needs about each store.
MATCH (:Ring {ringId: $ringId})<-[:MEMBER_OF]-(s:Seller)
RETURN s.sellerId AS sellerId, s.storeName AS storeName, coalesce(s.status, 'active') AS status,
       s.country AS country, s.registeredAt AS registeredAt, s.closedAt AS closedAt,
       s.marketStatus AS marketStatus
ORDER BY sellerId
