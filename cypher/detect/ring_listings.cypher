// Listing facts for a batch of rings: prices, brands and brand verdicts.
UNWIND $rings AS ring
UNWIND ring.sellerIds AS sellerId
MATCH (l:Listing)-[:LISTED_BY]->(:Seller {sellerId: sellerId})
RETURN ring.index AS ring, l.listingId AS listingId, sellerId, l.brand AS brand, l.brandKey AS brandKey,
       l.category AS category, l.price AS price, l.currency AS currency, l.verdict AS verdict
