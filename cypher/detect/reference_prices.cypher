// The marketplace's typical price per brand, category and currency: the upper quartile of its
// listed prices (percentileDisc 0.75, an actual listed price). Cheap fakes pull prices down, and in
// a market where rings hold much of a brand's stock they were half its listings, dragging the
// median down to them; the upper quartile stays at genuine prices until fakes are three listings
// in four. Detection scores with it and stores it as (:TypicalPrice) for dossiers.
MATCH (l:Listing)
WHERE l.brandKey IS NOT NULL AND l.price IS NOT NULL
RETURN l.brandKey AS brandKey, coalesce(l.category, '') AS category, l.currency AS currency,
       percentileDisc(l.price, 0.75) AS typicalPrice, count(*) AS listings
