// One batch of seller addresses, keyed by the canonical address key; one relationship per role.
// The batch's sellers, each found once (created with only its id when not known yet); a row
// names its seller by its place in $sellerIds (load.ts, sellerPlaces; a float on the wire).
UNWIND $sellerIds AS sellerId
MERGE (s:Seller {sellerId: sellerId})
  ON CREATE SET s.placeholder = true
WITH collect(s) AS sellers
UNWIND range(0, size($columns.seller) - 1) AS i
WITH sellers[toInteger($columns.seller[i])] AS s,
     {role: $columns.role[i], addressKey: $columns.addressKey[i],
      raw: $columns.raw[i], city: $columns.city[i], country: $columns.country[i],
      link: $columns.link[i]} AS row
MERGE (a:Address {key: row.addressKey})
// Shared by many sellers: keep the least form any of them gave, whatever the order of writing;
// written only when it changes, to spare the node's lock.
WITH *
CALL (a, row) { WITH a, row WHERE row.city IS NOT NULL AND (a.city IS NULL OR row.city < a.city) SET a.city = row.city }
CALL (a, row) { WITH a, row WHERE row.country IS NOT NULL AND (a.country IS NULL OR row.country < a.country) SET a.country = row.country }
// The link is found or created, not MERGEd: see "Links to shared identifiers" in src/ingest/load.ts.
WITH s, a, row WHERE row.link
OPTIONAL MATCH (s)-[existing:USES_ADDRESS {role: row.role}]->(a)
FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
  CREATE (s)-[:USES_ADDRESS {role: row.role, raw: row.raw}]->(a)
  SET s.changedAt = datetime.transaction())
SET existing.raw = row.raw
RETURN count(*) AS written
