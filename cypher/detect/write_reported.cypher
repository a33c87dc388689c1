// The ring each newcomer was reported in (src/alerts/raise.ts): written with the alerts, so that a
// store is alerted on once per ring, even when a run is killed and run again.
UNWIND $reported AS r
UNWIND r.sellerIds AS sellerId
MATCH (s:Seller {sellerId: sellerId})
SET s.reportedRingId = r.ringId
RETURN count(s) AS reported
