// The marketplace's typical price for each brand, category and currency asked for: the median
// (percentileDisc, so an actual listed price) that the last detection stored and scored with; for a
// group it has not seen (no detection since the listings arrived), computed here over every
// listing of that brand and category in that currency. Currencies are never mixed.
UNWIND $groups AS g
OPTIONAL MATCH (t:TypicalPrice {key: g.brandKey + '|' + g.category + '|' + g.currency})
CALL (g, t) {
  WITH g, t WHERE t IS NULL
  MATCH (o:Listing {brandKey: g.brandKey, category: g.category})
  WHERE o.currency = g.currency AND o.price IS NOT NULL
  RETURN percentileDisc(o.price, 0.5) AS liveMedian, count(o) AS liveListings
}
RETURN g.brandKey AS brandKey, g.category AS category, g.currency AS currency,
       coalesce(t.median, liveMedian) AS typicalPrice, coalesce(t.listings, liveListings) AS listings
