// Identifiers shared by two or more members of each ring in a batch, hubs included (flagged).
UNWIND $rings AS ring
UNWIND ring.sellerIds AS sellerId
MATCH (s:Seller {sellerId: sellerId})-[:PAYS_INTO|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH|USES_ADDRESS|SHIPS_FROM]->(i)
WITH ring, i, collect(DISTINCT sellerId) AS members
WHERE size(members) > 1
RETURN ring.index AS ring, labels(i)[0] AS label, i.key AS key, members, coalesce(i.hub, false) AS hub
