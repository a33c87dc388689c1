// One batch of seller payment accounts, keyed by the account's significant characters; the
// form the seller typed stays on the relationship as evidence.
// The batch's sellers, each found once (created with only its id when not known yet); a row
// names its seller by its place in $sellerIds (load.ts, sellerPlaces; a float on the wire).
UNWIND $sellerIds AS sellerId
MERGE (s:Seller {sellerId: sellerId})
  ON CREATE SET s.placeholder = true
WITH collect(s) AS sellers
UNWIND range(0, size($columns.seller) - 1) AS i
WITH sellers[toInteger($columns.seller[i])] AS s,
     {accountKey: $columns.accountKey[i], raw: $columns.raw[i],
      kind: $columns.kind[i], holderName: $columns.holderName[i], institution: $columns.institution[i],
      link: $columns.link[i]} AS row
MERGE (a:PaymentAccount {key: row.accountKey})
// Shared by many sellers: keep the least value any of them gave, so the result does not depend on
// which seller's record is written first; written only when it changes, to spare the node's lock.
WITH *
CALL (a, row) { WITH a, row WHERE row.kind IS NOT NULL AND (a.kind IS NULL OR row.kind < a.kind) SET a.kind = row.kind }
CALL (a, row) { WITH a, row WHERE row.institution IS NOT NULL AND (a.institution IS NULL OR row.institution < a.institution) SET a.institution = row.institution }
// The link is found or created, not MERGEd: see "Links to shared identifiers" in src/ingest/load.ts.
WITH s, a, row WHERE row.link
OPTIONAL MATCH (s)-[existing:PAYS_INTO]->(a)
FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
  CREATE (s)-[:PAYS_INTO {raw: row.raw, kind: row.kind, holderName: row.holderName, institution: row.institution}]->(a)
  SET s.changedAt = datetime.transaction())
SET existing.raw = row.raw, existing.kind = row.kind, existing.holderName = row.holderName, existing.institution = row.institution
RETURN count(*) AS written
