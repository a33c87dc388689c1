// How many listings the members have (that the caller may see), beside the ones shown.
MATCH (:Ring {ringId: $ringId})<-[:MEMBER_OF]-(:Seller)<-[:LISTED_BY]-(l:Listing)
WHERE $brandKey IS NULL OR l.brandKey = $brandKey
RETURN count(l) AS listings
