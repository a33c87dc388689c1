// Baseline: identifiers as typed (the raw form on each link), no normalisation, no hub limit.
MATCH (s:Seller)-[r:PAYS_INTO|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH|USES_ADDRESS|SHIPS_FROM]->(i)
WHERE r.raw IS NOT NULL
WITH labels(i)[0] + ':' + r.raw AS identifier, collect(DISTINCT s.sellerId) AS sellerIds
WHERE size(sellerIds) > 1
RETURN identifier, sellerIds
