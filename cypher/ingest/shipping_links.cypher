// One batch of shipping links. A shipping record names up to three shared identifiers (a carrier
// account, a sender phone, an origin address); the batch comes as one list per identifier kind,
// one row per (seller, identifier) pair with the pair's last shipment in the batch as evidence, in
// key order (src/ingest/load.ts, "Shipping links"), each list as columns (toColumns there). Each
// seller of the batch is found once, and rows name it by its place in $sellerIds (a float on the
// wire, as every JavaScript number). Links are found or created, not MERGEd: see "Links to
// shared identifiers" in src/ingest/load.ts. Shared identifier nodes keep the least form any
// seller gave (written only when it changes, to spare the node's lock), whatever the order of
// writing.
UNWIND $sellerIds AS sellerId
MERGE (s:Seller {sellerId: sellerId})
  ON CREATE SET s.placeholder = true
WITH collect(s) AS sellers
CALL (sellers) {
  UNWIND range(0, size($carrierAccounts.seller) - 1) AS i
  WITH sellers[toInteger($carrierAccounts.seller[i])] AS s,
       {key: $carrierAccounts.key[i], raw: $carrierAccounts.raw[i], carrier: $carrierAccounts.carrier[i], shipmentId: $carrierAccounts.shipmentId[i], shippedAt: $carrierAccounts.shippedAt[i]} AS row
  MERGE (c:CarrierAccount {key: row.key})
    ON CREATE SET c.carrier = row.carrier
  WITH *
  CALL (c, row) { WITH c, row WHERE c.carrier IS NULL OR row.carrier < c.carrier SET c.carrier = row.carrier }
  OPTIONAL MATCH (s)-[existing:SHIPS_WITH]->(c)
  FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
    CREATE (s)-[:SHIPS_WITH {raw: row.raw, carrier: row.carrier, shipmentId: row.shipmentId, shippedAt: row.shippedAt}]->(c)
    SET s.changedAt = datetime.transaction())
  SET existing.raw = row.raw, existing.carrier = row.carrier, existing.shipmentId = row.shipmentId, existing.shippedAt = row.shippedAt
}
CALL (sellers) {
  UNWIND range(0, size($senderPhones.seller) - 1) AS i
  WITH sellers[toInteger($senderPhones.seller[i])] AS s,
       {key: $senderPhones.key[i], raw: $senderPhones.raw[i], normalised: $senderPhones.normalised[i], shipmentId: $senderPhones.shipmentId[i], carrier: $senderPhones.carrier[i]} AS row
  MERGE (p:Phone {key: row.key})
  WITH *
  OPTIONAL MATCH (s)-[existing:SENDS_FROM_PHONE]->(p)
  FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
    CREATE (s)-[:SENDS_FROM_PHONE {raw: row.raw, normalised: row.normalised, shipmentId: row.shipmentId, carrier: row.carrier}]->(p)
    SET s.changedAt = datetime.transaction())
  SET existing.raw = row.raw, existing.normalised = row.normalised, existing.shipmentId = row.shipmentId, existing.carrier = row.carrier
}
CALL (sellers) {
  UNWIND range(0, size($origins.seller) - 1) AS i
  WITH sellers[toInteger($origins.seller[i])] AS s,
       {key: $origins.key[i], raw: $origins.raw[i], city: $origins.city[i], country: $origins.country[i], shipmentId: $origins.shipmentId[i], carrier: $origins.carrier[i], shippedAt: $origins.shippedAt[i]} AS row
  MERGE (o:Address {key: row.key})
    ON CREATE SET o.city = row.city, o.country = row.country
  WITH *
  CALL (o, row) { WITH o, row WHERE row.city IS NOT NULL AND (o.city IS NULL OR row.city < o.city) SET o.city = row.city }
  CALL (o, row) { WITH o, row WHERE row.country IS NOT NULL AND (o.country IS NULL OR row.country < o.country) SET o.country = row.country }
  OPTIONAL MATCH (s)-[existing:SHIPS_FROM]->(o)
  FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
    CREATE (s)-[:SHIPS_FROM {raw: row.raw, shipmentId: row.shipmentId, carrier: row.carrier, shippedAt: row.shippedAt}]->(o)
    SET s.changedAt = datetime.transaction())
  SET existing.raw = row.raw, existing.shipmentId = row.shipmentId, existing.carrier = row.carrier, existing.shippedAt = row.shippedAt
}
RETURN size(sellers) AS sellers
