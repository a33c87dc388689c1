// Every key without its hash, oldest first.
MATCH (k:ApiKey)
RETURN k.keyId AS keyId, k.role AS role, k.name AS name, k.brand AS brand, k.agency AS agency,
       k.createdAt AS createdAt, k.revokedAt AS revokedAt
ORDER BY k.createdAt, k.keyId
