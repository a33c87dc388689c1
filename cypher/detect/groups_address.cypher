// One page of Address identifiers with the sellers sharing each. An address some seller names as
// its registered, return, pickup or warehouse address is an `address`; one only ever seen as a
// shipping origin is an `origin`, a weaker link (consolidators ship for many).
MATCH (i:Address) WHERE i.key > $after
WITH i ORDER BY i.key ASC LIMIT $limit
CALL (i) {
  MATCH (i)<-[r:USES_ADDRESS|SHIPS_FROM]-(s:Seller)
  RETURN collect(DISTINCT s.sellerId) AS sellerIds, sum(CASE WHEN type(r) = 'USES_ADDRESS' THEN 1 ELSE 0 END) AS declared
}
RETURN i.key AS key,
       CASE WHEN declared > 0 THEN 'address' ELSE 'origin' END AS kind,
       CASE WHEN size(sellerIds) > 1 THEN sellerIds ELSE [] END AS sellerIds
