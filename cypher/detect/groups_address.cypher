// One page of Address identifiers with the sellers sharing each, and how many of those links are
// declared (registered, return, pickup or warehouse) rather than shipping origins: the store calls
// a declared address an `address` and one only ever seen as a shipping origin an `origin`, a
// weaker link (consolidators ship for many).
MATCH (i:Address) WHERE i.key > $after
WITH i ORDER BY i.key ASC LIMIT $limit
CALL (i) {
  MATCH (i)<-[r:USES_ADDRESS|SHIPS_FROM]-(s:Seller)
  RETURN collect(DISTINCT s.sellerId) AS sellerIds, sum(CASE WHEN type(r) = 'USES_ADDRESS' THEN 1 ELSE 0 END) AS declared
}
RETURN i.key AS key,
       declared,
       CASE WHEN size(sellerIds) > 1 THEN sellerIds ELSE [] END AS sellerIds
