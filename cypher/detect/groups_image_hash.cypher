// One page of listing image hashes with the sellers whose listings use each.
MATCH (i:ImageHash) WHERE i.key > $after
WITH i ORDER BY i.key ASC LIMIT $limit
CALL (i) {
  MATCH (i)<-[:HAS_IMAGE]-(:Listing)-[:LISTED_BY]->(s:Seller)
  RETURN collect(DISTINCT s.sellerId) AS sellerIds
}
RETURN i.key AS key, CASE WHEN size(sellerIds) > 1 THEN sellerIds ELSE [] END AS sellerIds
