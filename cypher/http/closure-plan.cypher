// The ring to close and its members with their status.
MATCH (r:Ring {ringId: $ringId})
OPTIONAL MATCH (r)<-[:MEMBER_OF]-(s:Seller)
WITH r, collect({sellerId: s.sellerId, status: coalesce(s.status, 'active')}) AS members
RETURN r.ringId AS ringId, coalesce(r.status, 'open') AS status,
       [m IN members WHERE m.sellerId IS NOT NULL] AS members
