// Revokes a key (a second revoke keeps the first time).
MATCH (k:ApiKey {keyId: $keyId})
SET k.revokedAt = coalesce(k.revokedAt, datetime($at))
RETURN k.keyId AS keyId, k.revokedAt AS revokedAt
