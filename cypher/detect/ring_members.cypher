// Member facts for a batch of rings: registration, status, prior closures, and the ring the
// member was last reported in (alerts: src/alerts/raise.ts).
UNWIND $rings AS ring
UNWIND ring.sellerIds AS sellerId
MATCH (s:Seller {sellerId: sellerId})
RETURN ring.index AS ring, s.sellerId AS sellerId, toString(s.registeredAt) AS registeredAt,
       coalesce(s.status, s.marketStatus) AS status,
       (s.status = $vocabulary.storeStatus.closed OR toLower(coalesce(s.marketStatus, '')) IN ['closed', 'suspended', 'banned']) AS closedBefore,
       s.reportedRingId AS reportedRingId
