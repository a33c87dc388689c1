// Listings for the stores of the market bench/support/screeningMarket.ts seeds, so that a dossier
// has its evidence: every store of a ring lists $listingsPerSeller items of the ring's brand.
UNWIND $rings AS r
MATCH (ring:Ring {ringId: r.ringId})
SET ring.brands = [r.brand], ring.firstSeen = datetime('2025-01-01T00:00:00Z'), ring.lastSeen = datetime('2025-02-01T00:00:00Z')
WITH ring, r
MATCH (ring)<-[:MEMBER_OF]-(s:Seller)
SET s.registeredAt = datetime('2025-01-01T00:00:00Z')
WITH s, r
UNWIND range(1, $listingsPerSeller) AS n
CREATE (:Listing {listingId: s.sellerId + '-L' + n, title: r.brand + ' item', price: toFloat(10 + n), currency: 'USD',
                  brand: r.brand, brandKey: toLower(r.brand), category: 'shoes'})-[:LISTED_BY]->(s)
