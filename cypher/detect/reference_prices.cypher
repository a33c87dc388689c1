// The marketplace's typical price per brand, category and currency: the median (percentileDisc,
// an actual listed price), which a minority of counterfeit listings cannot drag far. Detection
// scores with it and stores it as (:TypicalPrice) for dossiers.
MATCH (l:Listing)
WHERE l.brandKey IS NOT NULL AND l.price IS NOT NULL
RETURN l.brandKey AS brandKey, coalesce(l.category, '') AS category, l.currency AS currency,
       percentileDisc(l.price, 0.5) AS median, count(*) AS listings
