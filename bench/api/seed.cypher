// Synthetic rings for the API benchmark: each ring with its sellers, their listings and one
// payment account the ring's sellers share.
UNWIND $rings AS r
CREATE (ring:Ring {ringId: r.ringId, riskScore: r.riskScore, flagged: r.riskScore >= 50, factors: '[]',
                   size: size(r.sellers), brands: [r.brand], firstSeen: datetime('2025-01-01T00:00:00Z'),
                   lastSeen: datetime('2025-02-01T00:00:00Z'), active: true, status: 'open'})
MERGE (acct:PaymentAccount {key: 'acct:' + r.ringId})
WITH ring, acct, r
UNWIND r.sellers AS sellerId
CREATE (s:Seller {sellerId: sellerId, storeName: 'Store ' + sellerId, country: 'CN',
                  registeredAt: datetime('2025-01-01T00:00:00Z'), ringId: r.ringId})-[:MEMBER_OF]->(ring)
CREATE (s)-[:PAYS_INTO {raw: acct.key}]->(acct)
WITH s, r
UNWIND range(1, $listingsPerSeller) AS n
CREATE (:Listing {listingId: s.sellerId + '-L' + n, title: r.brand + ' item', price: toFloat(10 + n), currency: 'USD',
                  brand: r.brand, brandKey: toLower(r.brand), category: 'shoes'})-[:LISTED_BY]->(s)
