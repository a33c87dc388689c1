// Claims the referral's Idempotency-Key and records the referral with its package's hash; an open
// ring becomes 'referred' (a closed one stays closed). Under the uniqueness constraint on
// idempotencyScope, of requests racing with one key exactly one creates the referral; the others
// wait for it to commit and get it back (`created` false) to replay.
MATCH (r:Ring {ringId: $ringId})
MERGE (f:Referral {idempotencyScope: $scope})
  ON CREATE SET f.referralId = $referralId, f.ringId = $ringId, f.agency = $agency, f.agencyKey = $agencyKey,
                f.caseReference = $caseReference, f.packageSha256 = $packageSha256, f.packageFile = $packageFile,
                f.packageBytes = $packageBytes, f.createdAt = datetime($createdAt), f.keyId = $keyId,
                f.idempotencyKey = $idempotencyKey, f.requestHash = $requestHash
WITH r, f, f.referralId = $referralId AS created
CALL (r, f, created) {
  WITH * WHERE created
  MERGE (f)-[:OF_RING]->(r)
  SET r.status = CASE WHEN coalesce(r.status, $vocabulary.ringStatus.open) = $vocabulary.ringStatus.open THEN $vocabulary.ringStatus.referred ELSE r.status END
}
RETURN f.referralId AS referralId, f.agency AS agency, f.packageSha256 AS packageSha256,
       f.requestHash AS requestHash, created
