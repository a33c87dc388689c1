// Identifiers the last detection ignored as hubs that this ring touches, with the members' links.
MATCH (r:Ring {ringId: $ringId})-[t:TOUCHES_HUB]->(h)
OPTIONAL MATCH (r)<-[:MEMBER_OF]-(s:Seller)-[rel]->(h)
WITH h, t, collect(DISTINCT {sellerId: s.sellerId, type: type(rel)}) AS links
RETURN CASE
         WHEN h:PaymentAccount THEN 'paymentAccount'
         WHEN h:Address THEN 'address'
         WHEN h:Phone THEN 'phone'
         WHEN h:CarrierAccount THEN 'carrierAccount'
         WHEN h:ImageHash THEN 'imageHash'
         ELSE 'other'
       END AS kind,
       h.key AS key, h.hubSellerCount AS sellerCount, t.sellers AS ringSellers,
       [link IN links WHERE link.sellerId IS NOT NULL] AS links
ORDER BY kind, key
