// Sellers whose links, listings or status changed at or after $since (ingest marks them; see
// docs/live.md, "Incremental detection"), through the changedAt index.
MATCH (s:Seller)
WHERE s.changedAt >= datetime($since)
RETURN s.sellerId AS sellerId
