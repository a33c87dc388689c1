// What a detection run leaves for dossiers: the typical price per brand, category and currency
// (same statement shape as cypher/detect/reference_prices + write_typical_prices).
MATCH (l:Listing)
WHERE l.brandKey IS NOT NULL AND l.price IS NOT NULL
WITH l.brandKey AS brandKey, coalesce(l.category, '') AS category, l.currency AS currency,
     percentileDisc(l.price, 0.75) AS typicalPrice, count(*) AS listings
MERGE (t:TypicalPrice {key: brandKey + '|' + category + '|' + currency})
SET t.brandKey = brandKey, t.category = category, t.currency = currency, t.typicalPrice = typicalPrice, t.listings = listings
