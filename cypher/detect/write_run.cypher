// The record of one detection run: mode, parameters, counts, modularity and timings (JSON
// strings), and the watermark the next incremental run starts from. A full run's record exists
// since it began writing (begin_run.cypher); finishing sets its status.
MERGE (d:DetectionRun {runId: $runId})
SET d.status = 'completed',
    d.mode = $mode,
    d.modeReason = $modeReason,
    d.startedAt = datetime($startedAt),
    d.finishedAt = datetime($finishedAt),
    d.watermark = datetime($watermark),
    d.parameters = $parameters,
    d.parameterKey = $parameterKey,
    d.counts = $counts,
    d.timings = $timings,
    d.modularity = $modularity
WITH d
MATCH (r:Ring {runId: $runId})
MERGE (r)-[:DETECTED_IN]->(d)
RETURN count(r) AS rings
