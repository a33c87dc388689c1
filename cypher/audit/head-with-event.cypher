// Where the chain says it ends, beside the hash of the event stored at that seq: read without the
// head's lock (verify is read-only), the head's seq and hash can come from two commits, and the
// caller reads again until the head names an event as stored.
OPTIONAL MATCH (h:AuditHead {id: 'audit'})
OPTIONAL MATCH (e:AuditEvent {seq: h.seq})
RETURN h.seq AS seq, h.hash AS hash, e.hash AS eventHash
