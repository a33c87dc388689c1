// The latest detection run, finished or not: an incremental run needs it finished, with the same
// parameters, and starts from its watermark. Runs written before runs had a status finished.
MATCH (d:DetectionRun)
RETURN d.runId AS runId, coalesce(d.status, 'completed') = 'completed' AS completed,
       d.parameterKey AS parameterKey, toString(d.watermark) AS watermark
ORDER BY d.startedAt DESC
LIMIT 1
