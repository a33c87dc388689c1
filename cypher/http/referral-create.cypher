// Records a referral and its package's hash; an open ring becomes 'referred' (a closed one stays closed).
MATCH (r:Ring {ringId: $ringId})
CREATE (f:Referral {
  referralId: $referralId, ringId: $ringId, agency: $agency, agencyKey: $agencyKey,
  caseReference: $caseReference, packageSha256: $packageSha256, packageFile: $packageFile,
  packageBytes: $packageBytes, createdAt: datetime($createdAt), keyId: $keyId
})-[:OF_RING]->(r)
SET r.status = CASE WHEN coalesce(r.status, 'open') = 'open' THEN 'referred' ELSE r.status END
RETURN f.referralId AS referralId
