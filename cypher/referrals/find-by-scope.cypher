// A referral already made under this key's Idempotency-Key, if any.
MATCH (f:Referral {idempotencyScope: $scope})
RETURN f.referralId AS referralId, f.agency AS agency, f.packageSha256 AS packageSha256, f.requestHash AS requestHash
