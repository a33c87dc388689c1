// The active rings of the previous run with their members, for ring identity across runs.
MATCH (r:Ring {active: true})
OPTIONAL MATCH (s:Seller)-[:MEMBER_OF]->(r)
RETURN r.ringId AS ringId, collect(s.sellerId) AS sellerIds
