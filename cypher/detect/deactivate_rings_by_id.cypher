// An incremental run's earlier rings that it did not find again: kept for history, no longer active.
UNWIND $ringIds AS ringId
MATCH (r:Ring {ringId: ringId, active: true})
SET r.active = false, r.dissolvedIn = $runId
RETURN count(r) AS dissolved
