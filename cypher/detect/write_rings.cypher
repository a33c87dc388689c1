// One batch of this run's rings with their members. A ring that keeps its id keeps firstSeen
// and its status (open, closed, referred).
UNWIND $rings AS ring
MERGE (r:Ring {ringId: ring.ringId})
  ON CREATE SET r.firstSeen = datetime($now), r.status = $vocabulary.ringStatus.open
SET r.riskScore = ring.riskScore,
    r.flagged = ring.flagged,
    r.factors = ring.factors,
    r.size = size(ring.sellerIds),
    r.brands = ring.brands,
    r.lastSeen = datetime($now),
    r.runId = $runId,
    r.active = true
WITH r, ring
UNWIND ring.sellerIds AS sellerId
MATCH (s:Seller {sellerId: sellerId})
MERGE (s)-[:MEMBER_OF]->(r)
SET s.ringId = ring.ringId, s.ringRisk = ring.riskScore
RETURN count(*) AS members
