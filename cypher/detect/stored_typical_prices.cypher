// The typical prices the last full run computed: an incremental run scores with them rather than
// taking the quantile over every listing again (docs/live.md, "Incremental detection").
MATCH (t:TypicalPrice)
RETURN t.brandKey AS brandKey, t.category AS category, t.currency AS currency, t.typicalPrice AS typicalPrice, t.listings AS listings
