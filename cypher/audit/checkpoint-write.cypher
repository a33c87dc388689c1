// Stores a signed checkpoint of the audit head; a second process checkpointing the same head
// finds the first one's (unique seq) and answers it.
MERGE (c:AuditCheckpoint {seq: $seq})
  ON CREATE SET c.hash = $hash, c.at = $at, c.keyFingerprint = $keyFingerprint, c.signature = $signature
RETURN c.seq AS seq, c.hash AS hash, c.at AS at, c.keyFingerprint AS keyFingerprint, c.signature AS signature
