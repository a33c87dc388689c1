// The hash of the event at one seq (none when there is no such event): for a checkpoint of an
// event appended after verify's walk had passed its place.
OPTIONAL MATCH (e:AuditEvent {seq: $seq})
RETURN e.seq AS seq, e.hash AS hash
