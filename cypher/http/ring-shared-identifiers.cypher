// Identifiers that two or more members share (hubs excluded: they are listed on their own), with
// each member's link, so that the dossier and the drawing come from one statement.
MATCH (:Ring {ringId: $ringId})<-[:MEMBER_OF]-(s:Seller)-[rel:PAYS_INTO|USES_ADDRESS|SHIPS_FROM|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH]->(i)
WHERE NOT coalesce(i.hub, false)
WITH i, collect(DISTINCT s.sellerId) AS sellerIds, collect(DISTINCT {sellerId: s.sellerId, type: type(rel)}) AS links
WHERE size(sellerIds) >= 2
RETURN CASE
         WHEN i:PaymentAccount THEN 'paymentAccount'
         WHEN i:Address THEN 'address'
         WHEN i:Phone THEN 'phone'
         WHEN i:CarrierAccount THEN 'carrierAccount'
         ELSE 'other'
       END AS kind,
       i.key AS key, sellerIds, links
UNION ALL
MATCH (:Ring {ringId: $ringId})<-[:MEMBER_OF]-(s:Seller)<-[:LISTED_BY]-(:Listing)-[:HAS_IMAGE]->(i:ImageHash)
WHERE NOT coalesce(i.hub, false)
WITH i, collect(DISTINCT s.sellerId) AS sellerIds
WHERE size(sellerIds) >= 2
RETURN 'imageHash' AS kind, i.key AS key, sellerIds, [id IN sellerIds | {sellerId: id, type: 'LISTS_IMAGE'}] AS links
