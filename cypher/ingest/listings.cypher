// One batch of listings. A changed record updates in place; a listing moved to another seller
// loses its old LISTED_BY.
UNWIND $rows AS row
MERGE (l:Listing {listingId: row.listingId})
SET l.title = row.title,
    l.price = row.price,
    l.currency = row.currency,
    l.brand = row.brand,
    l.brandKey = row.brandKey,
    l.category = row.category,
    l.listedAt = CASE WHEN row.listedAt IS NULL THEN null ELSE datetime(row.listedAt) END
MERGE (s:Seller {sellerId: row.sellerId})
  ON CREATE SET s.placeholder = true
MERGE (l)-[:LISTED_BY]->(s)
WITH l, s, row
CALL (l, s) {
  MATCH (l)-[old:LISTED_BY]->(other:Seller) WHERE other <> s
  DELETE old
}
CALL (l, row) {
  WITH l, row WHERE row.imageHash IS NOT NULL
  MERGE (i:ImageHash {key: row.imageHash})
  MERGE (l)-[:HAS_IMAGE]->(i)
}
RETURN count(*) AS written
