// One key by id, for checking a presented token (the hash is compared in constant time by the caller).
MATCH (k:ApiKey {keyId: $keyId})
RETURN k.keyId AS keyId, k.tokenHash AS tokenHash, k.role AS role, k.name AS name,
       k.brand AS brand, k.brandKey AS brandKey, k.agency AS agency, k.agencyKey AS agencyKey,
       k.revokedAt AS revokedAt
