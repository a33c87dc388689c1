// One batch of shipping links: each names at least one of a carrier account, a sender phone and
// an origin address, each a shared identifier. One relationship per seller and identifier, with
// the latest shipment seen as evidence, so reloading the same file changes nothing. Links are
// found or created, not MERGEd: see "Links to shared identifiers" in src/ingest/load.ts.
UNWIND $rows AS row
MERGE (s:Seller {sellerId: row.sellerId})
  ON CREATE SET s.placeholder = true
WITH s, row
CALL (s, row) {
  WITH s, row WHERE row.carrierAccountKey IS NOT NULL
  MERGE (c:CarrierAccount {key: row.carrierAccountKey})
  WITH *
  CALL (c, row) { WITH c, row WHERE row.carrier IS NOT NULL AND (c.carrier IS NULL OR row.carrier < c.carrier) SET c.carrier = row.carrier }
  WITH s, c, row WHERE row.linkCarrier
  OPTIONAL MATCH (s)-[existing:SHIPS_WITH]->(c)
  FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
    CREATE (s)-[:SHIPS_WITH {raw: row.carrierAccountRaw, carrier: row.carrier, shipmentId: row.shipmentId, shippedAt: row.shippedAt}]->(c))
  SET existing.raw = row.carrierAccountRaw, existing.carrier = row.carrier, existing.shipmentId = row.shipmentId, existing.shippedAt = row.shippedAt
}
CALL (s, row) {
  WITH s, row WHERE row.phoneKey IS NOT NULL
  MERGE (p:Phone {key: row.phoneKey})
  WITH s, p, row WHERE row.linkPhone
  OPTIONAL MATCH (s)-[existing:SENDS_FROM_PHONE]->(p)
  FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
    CREATE (s)-[:SENDS_FROM_PHONE {raw: row.phoneRaw, normalised: row.phoneNormalised, shipmentId: row.shipmentId, carrier: row.carrier}]->(p))
  SET existing.raw = row.phoneRaw, existing.normalised = row.phoneNormalised, existing.shipmentId = row.shipmentId, existing.carrier = row.carrier
}
CALL (s, row) {
  WITH s, row WHERE row.originKey IS NOT NULL
  MERGE (o:Address {key: row.originKey})
  WITH *
  CALL (o, row) { WITH o, row WHERE row.originCity IS NOT NULL AND (o.city IS NULL OR row.originCity < o.city) SET o.city = row.originCity }
  CALL (o, row) { WITH o, row WHERE row.originCountry IS NOT NULL AND (o.country IS NULL OR row.originCountry < o.country) SET o.country = row.originCountry }
  WITH s, o, row WHERE row.linkOrigin
  OPTIONAL MATCH (s)-[existing:SHIPS_FROM]->(o)
  FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
    CREATE (s)-[:SHIPS_FROM {raw: row.originRaw, shipmentId: row.shipmentId, carrier: row.carrier, shippedAt: row.shippedAt}]->(o))
  SET existing.raw = row.originRaw, existing.shipmentId = row.shipmentId, existing.carrier = row.carrier, existing.shippedAt = row.shippedAt
}
RETURN count(*) AS written
