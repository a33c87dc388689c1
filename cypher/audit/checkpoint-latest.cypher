// The newest signed checkpoint of the audit chain.
MATCH (c:AuditCheckpoint)
RETURN c.seq AS seq, c.hash AS hash, c.at AS at, c.keyFingerprint AS keyFingerprint, c.signature AS signature
ORDER BY c.seq DESC
LIMIT 1
