// Synthetic rings for the screening benchmark, in the shape ingest and detection leave them: each
// ring's stores share a payment account, a sender phone, a return address and a carrier account
// (keys made by ringwatch's own normalisers, bench/screening/run.ts), and each store has an account
// of its own; MEMBER_OF to the ring, closed rings with closed stores.
UNWIND $rings AS r
CREATE (ring:Ring {ringId: r.ringId, riskScore: r.riskScore, flagged: r.flagged, status: r.status, factors: '[]',
                   size: size(r.sellers), brands: ['Acme'], active: true})
CREATE (acct:PaymentAccount {key: r.accountKey})
CREATE (phone:Phone {key: r.phoneKey})
CREATE (addr:Address {key: r.addressKey, city: 'Guangzhou', country: 'CN'})
CREATE (carrier:CarrierAccount {key: r.carrierKey, carrier: 'SF'})
WITH ring, acct, phone, addr, carrier, r
UNWIND r.sellers AS sellerId
CREATE (s:Seller {sellerId: sellerId, storeName: 'Store ' + sellerId, country: 'CN', ringId: r.ringId, ringRisk: r.riskScore})-[:MEMBER_OF]->(ring)
SET s.status = CASE WHEN r.status = $vocabulary.ringStatus.closed THEN $vocabulary.storeStatus.closed END
CREATE (s)-[:PAYS_INTO {raw: r.accountKey, kind: 'bank'}]->(acct)
CREATE (s)-[:SENDS_FROM_PHONE {raw: r.phoneKey, normalised: true}]->(phone)
CREATE (s)-[:USES_ADDRESS {role: 'return', raw: r.addressKey}]->(addr)
CREATE (s)-[:SHIPS_WITH {raw: r.carrierKey, carrier: 'SF'}]->(carrier)
CREATE (s)-[:PAYS_INTO {raw: 'OWN-' + sellerId, kind: 'bank'}]->(:PaymentAccount {key: 'OWN' + sellerId})
RETURN count(*) AS sellers
