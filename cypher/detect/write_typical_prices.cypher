// The typical prices this run scored with, one node per brand, category and currency, so that a
// dossier reads them instead of recomputing a median over the whole marketplace per request.
UNWIND $prices AS p
MERGE (t:TypicalPrice {key: p.brandKey + '|' + p.category + '|' + p.currency})
SET t.brandKey = p.brandKey, t.category = p.category, t.currency = p.currency,
    t.median = p.median, t.listings = p.listings, t.runId = $runId
RETURN count(t) AS written
