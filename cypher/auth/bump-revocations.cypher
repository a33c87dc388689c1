// Moves the revocation watermark, in the transaction that revokes a key: every running `serve`
// reads it (cypher/auth/revocations.cypher) and drops its cached keys when it has moved.
MERGE (w:KeyRevocations {id: 'keys'})
  ON CREATE SET w.version = 0
SET w.version = w.version + 1
RETURN w.version AS version
