// One batch of listings. A changed record updates in place; a listing moved to another seller
// loses its old LISTED_BY.
// The batch's sellers, each found once (created with only its id when not known yet); a row
// names its seller by its place in $sellerIds (load.ts, sellerPlaces; a float on the wire).
UNWIND $sellerIds AS sellerId
MERGE (s:Seller {sellerId: sellerId})
  ON CREATE SET s.placeholder = true
WITH collect(s) AS sellers
UNWIND range(0, size($columns.listingId) - 1) AS i
WITH sellers[toInteger($columns.seller[i])] AS s,
     {listingId: $columns.listingId[i], title: $columns.title[i],
      price: $columns.price[i], currency: $columns.currency[i], brand: $columns.brand[i],
      brandKey: $columns.brandKey[i], category: $columns.category[i], listedAt: $columns.listedAt[i],
      imageHash: $columns.imageHash[i], link: $columns.link[i], first: $columns.first[i]} AS row
MERGE (l:Listing {listingId: row.listingId})
// Every loaded listing has a title, so a listing without one was created just now: it has no
// links yet, and they are created without looking for old ones (most rows of a first load). Only
// the batch's first row of a listing can be that row: the planner reads every row's title before
// it sets any (an Eager), so a repeat in the same batch would also see none (load.ts marks `first`).
WITH l, s, row, l.title IS NULL AND row.first AS created
// A new listing or a new price changes its seller's ring's score: the next incremental detection
// looks at the seller again (docs/live.md, "Incremental detection").
SET s.changedAt = CASE WHEN l.title IS NULL OR l.price <> row.price THEN datetime.transaction() ELSE s.changedAt END
SET l.title = row.title,
    l.price = row.price,
    l.currency = row.currency,
    l.brand = row.brand,
    l.brandKey = row.brandKey,
    l.category = row.category,
    l.listedAt = CASE WHEN row.listedAt IS NULL THEN null ELSE datetime(row.listedAt) END
WITH l, s, row, created
// A listing and its seller belong to one writer lane: MERGE's locks on them cost nothing.
CALL (l, s, created) {
  WITH l, s WHERE created
  CREATE (l)-[:LISTED_BY]->(s)
}
CALL (l, s, created) {
  WITH l, s WHERE NOT created
  MERGE (l)-[:LISTED_BY]->(s)
  WITH l, s
  MATCH (l)-[old:LISTED_BY]->(other:Seller) WHERE other <> s
  SET s.changedAt = datetime.transaction(), other.changedAt = datetime.transaction()
  DELETE old
}
// Image hashes are shared (stock photos): the link is found or created, not MERGEd; see "Links
// to shared identifiers" in src/ingest/load.ts.
WITH l, s, row, created WHERE row.imageHash IS NOT NULL AND row.link
MERGE (i:ImageHash {key: row.imageHash})
WITH l, s, i, created
OPTIONAL MATCH (l)-[existing:HAS_IMAGE]->(i) WHERE NOT created
FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END | CREATE (l)-[:HAS_IMAGE]->(i) SET s.changedAt = datetime.transaction())
RETURN count(*) AS written
