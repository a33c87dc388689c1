// Baseline: normalised identifier nodes as ingest keys them, no hub limit.
MATCH (s:Seller)-[:PAYS_INTO|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH|USES_ADDRESS|SHIPS_FROM]->(i)
WITH i, collect(DISTINCT s.sellerId) AS sellerIds
WHERE size(sellerIds) > 1
RETURN elementId(i) AS identifier, sellerIds
