// One Verdict per listing, linked to it; the listing's current verdict is the one with the latest
// time (ties: the greater verdict id), whatever order concurrent requests commit in. The listing's
// write lock is taken first, so the comparison reads what the transaction before it committed.
UNWIND $rows AS row
MATCH (l:Listing {listingId: row.listingId})
SET l.verdictLockedBy = row.verdictId
CREATE (v:Verdict {
  verdictId: row.verdictId, listingId: row.listingId, brand: $brand, brandKey: $brandKey,
  verdict: $verdict, note: $note, keyId: $keyId, at: datetime($at)
})-[:ABOUT]->(l)
WITH l, v, l.verdictAt IS NULL OR v.at > l.verdictAt OR (v.at = l.verdictAt AND v.verdictId > coalesce(l.verdictId, '')) AS newest
FOREACH (_ IN CASE WHEN newest THEN [1] ELSE [] END |
  SET l.verdict = v.verdict, l.verdictAt = v.at, l.verdictId = v.verdictId)
// The verdict feeds the seller's ring's score: the next incremental detection re-scores it.
WITH l, v
CALL (l) { MATCH (l)-[:LISTED_BY]->(s:Seller) SET s.changedAt = datetime.transaction() }
// So do the rings of listings that use its photo, which a counterfeit verdict reaches as evidence
// (cypher/detect/confirmed_photos.cypher, same photo limit).
CALL (l) {
  MATCH (l)-[:HAS_IMAGE]->(i:ImageHash)
  WHERE COUNT { (i)<-[:HAS_IMAGE]-() } <= $photoMaxListings
  MATCH (i)<-[:HAS_IMAGE]-(:Listing)-[:LISTED_BY]->(s:Seller)
  SET s.changedAt = datetime.transaction()
}
RETURN count(v) AS written
