// An applicant's identifiers, normalised as ingest normalises them, looked up before a store opens
// (src/screening/screening.ts): $keys holds one list of keys per identifier label
// (LABEL_OF_KIND, src/vocabulary.ts), each list looked up through its label's key constraint
// (cypher/schema/constraints.cypher), so the cost is a few index seeks whatever the size of the
// marketplace. Hubs (marked by detection, cypher/detect/write_hubs.cypher) never match. One row
// per matched identifier and store carrying it, with the store's ring as the last detection run
// wrote it (MEMBER_OF) and whether ringwatch closed the store; the decision is made in TypeScript.
CALL () {
  UNWIND $keys.PaymentAccount AS key
  MATCH (i:PaymentAccount {key: key})
  RETURN i
  UNION
  UNWIND $keys.Phone AS key
  MATCH (i:Phone {key: key})
  RETURN i
  UNION
  UNWIND $keys.CarrierAccount AS key
  MATCH (i:CarrierAccount {key: key})
  RETURN i
  UNION
  UNWIND $keys.Address AS key
  MATCH (i:Address {key: key})
  RETURN i
}
WITH i WHERE NOT (i:Hub OR coalesce(i.hub, false))
// The links from a store to each identifier label (docs/architecture.md, "Vocabulary"); a seller
// with two links to one node (its own phone and a parcel's sender phone) is one row.
MATCH (i)<-[:PAYS_INTO|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH|USES_ADDRESS|SHIPS_FROM]-(s:Seller)
WITH DISTINCT i, s
OPTIONAL MATCH (s)-[:MEMBER_OF]->(r:Ring)
RETURN labels(i) AS labels,
       s.sellerId AS sellerId,
       coalesce(s.status, '') = $vocabulary.storeStatus.closed AS storeClosed,
       r.ringId AS ringId,
       coalesce(r.status, $vocabulary.ringStatus.open) AS ringStatus,
       r.riskScore AS riskScore,
       coalesce(r.flagged, false) AS flagged
