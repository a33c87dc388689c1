// Every active ring with its members, for `ringwatch rings export` and `ringwatch eval`.
MATCH (r:Ring {active: true})
WHERE $flaggedOnly = false OR r.flagged
MATCH (s:Seller)-[:MEMBER_OF]->(r)
WITH r, collect(s.sellerId) AS sellerIds
RETURN r.ringId AS ringId, sellerIds, r.flagged AS flagged, r.riskScore AS riskScore, r.brands AS brands, r.factors AS factors
ORDER BY r.riskScore DESC, r.ringId
