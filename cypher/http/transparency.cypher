// Public figures by month, aggregates only: flagged rings by the month first seen, stores closed,
// referrals, and the median days from a ring's first sighting to the closure that closed it.
MATCH (r:Ring)
WHERE r.flagged = true AND r.firstSeen IS NOT NULL
RETURN 'ringsFound' AS metric, left(toString(date(r.firstSeen)), 7) AS month, toFloat(count(*)) AS value
UNION ALL
MATCH (s:Seller)
WHERE s.closedAt IS NOT NULL AND s.status = $vocabulary.storeStatus.closed
RETURN 'storesClosed' AS metric, left(toString(date(s.closedAt)), 7) AS month, toFloat(count(*)) AS value
UNION ALL
MATCH (f:Referral)
RETURN 'referrals' AS metric, left(toString(date(f.createdAt)), 7) AS month, toFloat(count(*)) AS value
UNION ALL
MATCH (c:Closure {ringClosed: true})-[:OF_RING]->(r:Ring)
WHERE r.firstSeen IS NOT NULL
WITH left(toString(date(c.at)), 7) AS month, duration.inSeconds(r.firstSeen, c.at).seconds / 86400.0 AS days
RETURN 'medianDaysToClosure' AS metric, month, percentileCont(days, 0.5) AS value
