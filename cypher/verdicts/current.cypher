// For each listing id asked about: does it exist, its brand key and its current verdict (null if none).
UNWIND $listingIds AS id
OPTIONAL MATCH (l:Listing {listingId: id})
RETURN id AS listingId, l IS NOT NULL AS found, l.brandKey AS brandKey, l.verdict AS verdict
