// The marketplace's typical price per brand, category and currency: the median, which a minority
// of counterfeit listings cannot drag far.
MATCH (l:Listing)
WHERE l.brandKey IS NOT NULL AND l.price IS NOT NULL
RETURN l.brandKey AS brandKey, coalesce(l.category, '') AS category, l.currency AS currency,
       percentileCont(l.price, 0.5) AS median, count(*) AS listings
