// For each listing id asked about: does it exist, and of which brand is it.
UNWIND $listingIds AS id
OPTIONAL MATCH (l:Listing {listingId: id})
RETURN id AS listingId, l IS NOT NULL AS found, l.brandKey AS brandKey
