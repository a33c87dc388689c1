// The members' listings as evidence (a brand sees its own brand's only), at most $limit of them.
MATCH (:Ring {ringId: $ringId})<-[:MEMBER_OF]-(s:Seller)<-[:LISTED_BY]-(l:Listing)
WHERE $brandKey IS NULL OR l.brandKey = $brandKey
RETURN l.listingId AS listingId, s.sellerId AS sellerId, l.title AS title, l.brand AS brand,
       l.brandKey AS brandKey, l.category AS category, l.price AS price, l.currency AS currency,
       l.verdict AS verdict
ORDER BY listingId
LIMIT $limit
