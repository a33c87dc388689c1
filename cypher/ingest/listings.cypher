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
// A listing and its seller belong to one writer lane: MERGE's locks on them cost nothing.
MERGE (l)-[:LISTED_BY]->(s)
WITH l, s, row
CALL (l, s) {
  MATCH (l)-[old:LISTED_BY]->(other:Seller) WHERE other <> s
  DELETE old
}
// Image hashes are shared (stock photos): the link is found or created, not MERGEd; see "Links
// to shared identifiers" in src/ingest/load.ts.
WITH l, row WHERE row.imageHash IS NOT NULL AND row.link
MERGE (i:ImageHash {key: row.imageHash})
WITH l, i, row
OPTIONAL MATCH (l)-[existing:HAS_IMAGE]->(i)
FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END | CREATE (l)-[:HAS_IMAGE]->(i))
RETURN count(*) AS written
