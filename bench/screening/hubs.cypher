// Aggregator wallets that many stores use, marked as hubs the way detection marks them
// (cypher/detect/write_hubs.cypher): a screening that names one must not match.
UNWIND $hubs AS hub
CREATE (h:PaymentAccount:Hub {key: hub.key, hub: true, hubSellerCount: size(hub.sellerIds)})
WITH h, hub
UNWIND hub.sellerIds AS sellerId
MATCH (s:Seller {sellerId: sellerId})
CREATE (s)-[:PAYS_INTO {raw: hub.key, kind: 'wallet'}]->(h)
RETURN count(*) AS links
