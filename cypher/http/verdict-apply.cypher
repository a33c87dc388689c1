// One Verdict per listing, linked to it, and the listing's current verdict (the latest wins).
UNWIND $rows AS row
MATCH (l:Listing {listingId: row.listingId})
CREATE (v:Verdict {
  verdictId: row.verdictId, listingId: row.listingId, brand: $brand, brandKey: $brandKey,
  verdict: $verdict, note: $note, keyId: $keyId, at: datetime($at)
})-[:ABOUT]->(l)
SET l.verdict = $verdict, l.verdictAt = datetime($at)
RETURN count(v) AS written
