// Identifiers left out of the projection as hubs, marked, and linked to the rings they touch so a
// dossier can say "these sellers also share hub X, ignored because N sellers use it".
// Each label is looked up through its own key index.
UNWIND $hubs AS hub
CALL (hub) {
  OPTIONAL MATCH (a:PaymentAccount {key: hub.key}) WHERE hub.label = 'PaymentAccount'
  OPTIONAL MATCH (p:Phone {key: hub.key}) WHERE hub.label = 'Phone'
  OPTIONAL MATCH (c:CarrierAccount {key: hub.key}) WHERE hub.label = 'CarrierAccount'
  OPTIONAL MATCH (d:Address {key: hub.key}) WHERE hub.label = 'Address'
  OPTIONAL MATCH (m:ImageHash {key: hub.key}) WHERE hub.label = 'ImageHash'
  RETURN coalesce(a, p, c, d, m) AS i
}
WITH hub, i WHERE i IS NOT NULL
SET i:Hub, i.hub = true, i.hubSellerCount = hub.sellerCount
WITH hub, i
UNWIND hub.touches AS touch
MATCH (r:Ring {ringId: touch.ringId})
MERGE (r)-[t:TOUCHES_HUB]->(i)
SET t.sellers = touch.sellers
RETURN count(*) AS touches
