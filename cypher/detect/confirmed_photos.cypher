// Listings that use the product photo of a listing a brand confirmed as counterfeit, where the
// photo is used by at most $maxListings listings: a brand's stock photo, on thousands of honest
// listings, says nothing about any one of them. One row per listing (the first confirmed
// listing by id), read once per detection; the confirmed listings are few (index listing_verdict).
MATCH (c:Listing {verdict: 'counterfeit'})-[:HAS_IMAGE]->(i:ImageHash)
WHERE COUNT { (i)<-[:HAS_IMAGE]-() } <= $maxListings
MATCH (i)<-[:HAS_IMAGE]-(l:Listing)
WHERE l <> c
WITH l.listingId AS listingId, min(c.listingId) AS confirmedListingId
RETURN listingId, confirmedListingId
