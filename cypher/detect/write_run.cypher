// The record of one detection run: parameters, counts, modularity and timings (JSON strings).
CREATE (d:DetectionRun {runId: $runId})
SET d.startedAt = datetime($startedAt),
    d.finishedAt = datetime($finishedAt),
    d.parameters = $parameters,
    d.counts = $counts,
    d.timings = $timings,
    d.modularity = $modularity
WITH d
MATCH (r:Ring {runId: $runId})
MERGE (r)-[:DETECTED_IN]->(d)
RETURN count(r) AS rings
