// Identifiers that two or more members share (hubs excluded: they are listed on their own), with
// each member's link, so that the dossier and the drawing come from one statement. The labels are
// returned as they are: the reader names the kind (src/vocabulary.ts, KIND_OF_LABEL).
MATCH (:Ring {ringId: $ringId})<-[:MEMBER_OF]-(s:Seller)-[rel:PAYS_INTO|USES_ADDRESS|SHIPS_FROM|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH]->(i)
WHERE NOT coalesce(i.hub, false)
WITH i, collect(DISTINCT s.sellerId) AS sellerIds, collect(DISTINCT {sellerId: s.sellerId, type: type(rel)}) AS links
WHERE size(sellerIds) >= 2
RETURN labels(i) AS labels,
       i.key AS key, sellerIds, links
UNION ALL
MATCH (:Ring {ringId: $ringId})<-[:MEMBER_OF]-(s:Seller)<-[:LISTED_BY]-(:Listing)-[:HAS_IMAGE]->(i:ImageHash)
WHERE NOT coalesce(i.hub, false)
WITH i, collect(DISTINCT s.sellerId) AS sellerIds
WHERE size(sellerIds) >= 2
RETURN labels(i) AS labels, i.key AS key, sellerIds, [id IN sellerIds | {sellerId: id, type: 'LISTS_IMAGE'}] AS links
