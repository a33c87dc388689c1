// Rings of earlier runs that this run did not find again: kept for history, no longer active.
MATCH (r:Ring {active: true})
WHERE r.runId <> $runId
SET r.active = false, r.dissolvedIn = $runId
RETURN count(r) AS dissolved
