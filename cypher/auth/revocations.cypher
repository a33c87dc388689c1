// The revocation watermark: how many revocations there have been (0 before the first).
OPTIONAL MATCH (w:KeyRevocations {id: 'keys'})
RETURN coalesce(w.version, 0) AS version
