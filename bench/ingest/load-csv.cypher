// The peer: what a Neo4j user would write to load the same CSV files with LOAD CSV and MERGE,
// batched with CALL { … } IN TRANSACTIONS. No phone, account or address normalisation (Cypher
// has no phone library): identifiers are keyed by upper-cased raw text with spaces and dashes
// removed, the most a plain script does. Statements are separated by lines holding only ';'.
LOAD CSV WITH HEADERS FROM 'file:///sellers.csv' AS row
CALL (row) {
  MERGE (s:Seller {sellerId: row.seller_id})
  SET s.storeName = row.store_name, s.country = row.country, s.marketStatus = row.status,
      s.registeredAt = CASE WHEN row.registered_at IS NULL OR row.registered_at = '' THEN null ELSE datetime(row.registered_at) END
  WITH s, row WHERE row.phone IS NOT NULL AND row.phone <> ''
  MERGE (p:Phone {key: replace(replace(row.phone, ' ', ''), '-', '')})
  MERGE (s)-[:HAS_PHONE]->(p)
} IN TRANSACTIONS OF 5000 ROWS
;
LOAD CSV WITH HEADERS FROM 'file:///listings.csv' AS row
CALL (row) {
  MERGE (l:Listing {listingId: row.listing_id})
  SET l.title = row.title, l.price = toFloat(row.price), l.currency = row.currency, l.brand = row.brand,
      l.category = row.category
  MERGE (s:Seller {sellerId: row.seller_id})
  MERGE (l)-[:LISTED_BY]->(s)
  WITH l, row WHERE row.image_hash IS NOT NULL AND row.image_hash <> ''
  MERGE (i:ImageHash {key: toLower(row.image_hash)})
  MERGE (l)-[:HAS_IMAGE]->(i)
} IN TRANSACTIONS OF 5000 ROWS
;
LOAD CSV WITH HEADERS FROM 'file:///payment_accounts.csv' AS row
CALL (row) {
  MERGE (s:Seller {sellerId: row.seller_id})
  MERGE (a:PaymentAccount {key: toUpper(replace(replace(row.account_id, ' ', ''), '-', ''))})
  MERGE (s)-[r:PAYS_INTO]->(a)
  SET r.raw = row.account_id, r.kind = row.kind
} IN TRANSACTIONS OF 5000 ROWS
;
LOAD CSV WITH HEADERS FROM 'file:///addresses.csv' AS row
CALL (row) {
  MERGE (s:Seller {sellerId: row.seller_id})
  MERGE (a:Address {key: toUpper(row.line1 + '|' + coalesce(row.line2, '') + '|' + row.city + '|' + row.country)})
  MERGE (s)-[r:USES_ADDRESS {role: row.role}]->(a)
} IN TRANSACTIONS OF 5000 ROWS
;
LOAD CSV WITH HEADERS FROM 'file:///shipping_links.csv' AS row
CALL (row) {
  MERGE (s:Seller {sellerId: row.seller_id})
  FOREACH (_ IN CASE WHEN row.carrier_account IS NULL OR row.carrier_account = '' THEN [] ELSE [1] END |
    MERGE (c:CarrierAccount {key: row.carrier + ':' + toUpper(replace(replace(row.carrier_account, ' ', ''), '-', ''))})
    MERGE (s)-[:SHIPS_WITH]->(c))
  FOREACH (_ IN CASE WHEN row.sender_phone IS NULL OR row.sender_phone = '' THEN [] ELSE [1] END |
    MERGE (p:Phone {key: replace(replace(row.sender_phone, ' ', ''), '-', '')})
    MERGE (s)-[:SENDS_FROM_PHONE]->(p))
  FOREACH (_ IN CASE WHEN row.origin_line1 IS NULL OR row.origin_line1 = '' THEN [] ELSE [1] END |
    MERGE (o:Address {key: toUpper(row.origin_line1 + '|' + coalesce(row.origin_line2, '') + '|' + row.origin_city + '|' + row.origin_country)})
    MERGE (s)-[:SHIPS_FROM]->(o))
} IN TRANSACTIONS OF 5000 ROWS
;
