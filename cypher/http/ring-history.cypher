// What detection runs said about the ring, oldest first.
MATCH (:Ring {ringId: $ringId})-[:HAD_EVENT]->(e:RingEvent)
RETURN e.type AS type, e.runId AS runId, e.at AS at, e.detail AS detail
ORDER BY at, runId
