// How many audit events of one action the chain holds (bench/api/run.ts holds it against the reads served).
MATCH (e:AuditEvent {action: $action})
RETURN count(e) AS events
