// Where the chain says it ends.
OPTIONAL MATCH (h:AuditHead {id: 'audit'})
RETURN h.seq AS seq, h.hash AS hash
