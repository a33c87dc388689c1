// The typical prices this run scored with, one node per brand, category and currency, so that a
// dossier reads them instead of recomputing a quantile over the whole marketplace per request.
// (`median` was the property's name when the typical price was the median.)
UNWIND $prices AS p
MERGE (t:TypicalPrice {key: p.brandKey + '|' + p.category + '|' + p.currency})
SET t.brandKey = p.brandKey, t.category = p.category, t.currency = p.currency,
    t.typicalPrice = p.typicalPrice, t.listings = p.listings, t.runId = $runId
REMOVE t.median
RETURN count(t) AS written
