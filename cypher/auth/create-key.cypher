// A new API key: only the SHA-256 of its token is kept.
CREATE (k:ApiKey {
  keyId: $keyId, tokenHash: $tokenHash, role: $role, name: $name,
  brand: $brand, brandKey: $brandKey, agency: $agency, agencyKey: $agencyKey,
  createdAt: datetime($createdAt)
})
RETURN k.keyId AS keyId
