// The marketplace's typical price for each brand, category and currency asked for: the median
// (percentileDisc, so an actual listed price) over every listing of that brand and category in that
// currency. Prices in different currencies are never mixed.
UNWIND $groups AS g
MATCH (o:Listing {brandKey: g.brandKey, category: g.category})
WHERE o.currency = g.currency AND o.price IS NOT NULL
RETURN g.brandKey AS brandKey, g.category AS category, g.currency AS currency,
       percentileDisc(o.price, 0.5) AS typicalPrice, count(o) AS listings
