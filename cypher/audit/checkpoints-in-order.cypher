// Every signed checkpoint in seq order, streamed by `ringwatch audit verify`.
MATCH (c:AuditCheckpoint)
RETURN c.seq AS seq, c.hash AS hash, c.at AS at, c.keyFingerprint AS keyFingerprint, c.signature AS signature
ORDER BY c.seq
