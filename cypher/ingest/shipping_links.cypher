// One batch of shipping links: each names at least one of a carrier account, a sender phone and
// an origin address, each a shared identifier. One relationship per seller and identifier, with
// the latest shipment seen as evidence, so reloading the same file changes nothing.
UNWIND $rows AS row
MERGE (s:Seller {sellerId: row.sellerId})
  ON CREATE SET s.placeholder = true
WITH s, row
CALL (s, row) {
  WITH s, row WHERE row.carrierAccountKey IS NOT NULL
  MERGE (c:CarrierAccount {key: row.carrierAccountKey})
  WITH *
  CALL (c, row) { WITH c, row WHERE row.carrier IS NOT NULL AND (c.carrier IS NULL OR row.carrier < c.carrier) SET c.carrier = row.carrier }
  MERGE (s)-[r:SHIPS_WITH]->(c)
  SET r.raw = row.carrierAccountRaw, r.carrier = row.carrier, r.shipmentId = row.shipmentId, r.shippedAt = row.shippedAt
}
CALL (s, row) {
  WITH s, row WHERE row.phoneKey IS NOT NULL
  MERGE (p:Phone {key: row.phoneKey})
  MERGE (s)-[r:SENDS_FROM_PHONE]->(p)
  SET r.raw = row.phoneRaw, r.normalised = row.phoneNormalised, r.shipmentId = row.shipmentId, r.carrier = row.carrier
}
CALL (s, row) {
  WITH s, row WHERE row.originKey IS NOT NULL
  MERGE (o:Address {key: row.originKey})
  WITH *
  CALL (o, row) { WITH o, row WHERE row.originCity IS NOT NULL AND (o.city IS NULL OR row.originCity < o.city) SET o.city = row.originCity }
  CALL (o, row) { WITH o, row WHERE row.originCountry IS NOT NULL AND (o.country IS NULL OR row.originCountry < o.country) SET o.country = row.originCountry }
  MERGE (s)-[r:SHIPS_FROM]->(o)
  SET r.raw = row.originRaw, r.shipmentId = row.shipmentId, r.carrier = row.carrier, r.shippedAt = row.shippedAt
}
RETURN count(*) AS written
