// A full run's record, written before its batched write-back starts: if the run is killed
// mid-way, the next run sees a run that did not finish and is full too.
CREATE (d:DetectionRun {runId: $runId})
SET d.status = 'writing', d.mode = $mode, d.startedAt = datetime($startedAt)
RETURN d.runId AS runId
