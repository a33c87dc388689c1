// One page of CarrierAccount identifiers (keyset paging on the key index) with the sellers sharing each.
// Only groups of two or more sellers link anyone; a singleton comes back with no sellers so that
// paging still advances past it.
MATCH (i:CarrierAccount) WHERE i.key > $after
WITH i ORDER BY i.key ASC LIMIT $limit
CALL (i) {
  MATCH (i)<-[:SHIPS_WITH]-(s:Seller)
  RETURN collect(DISTINCT s.sellerId) AS sellerIds
}
RETURN i.key AS key, CASE WHEN size(sellerIds) > 1 THEN sellerIds ELSE [] END AS sellerIds
