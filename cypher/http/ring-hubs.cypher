// Identifiers the last detection ignored as hubs that this ring touches, with the members' links.
// The labels are returned as they are: the reader names the kind (src/vocabulary.ts, KIND_OF_LABEL).
MATCH (r:Ring {ringId: $ringId})-[t:TOUCHES_HUB]->(h)
OPTIONAL MATCH (r)<-[:MEMBER_OF]-(s:Seller)-[rel]->(h)
WITH h, t, collect(DISTINCT {sellerId: s.sellerId, type: type(rel)}) AS links
RETURN labels(h) AS labels,
       h.key AS key, h.hubSellerCount AS sellerCount, t.sellers AS ringSellers,
       [link IN links WHERE link.sellerId IS NOT NULL] AS links
