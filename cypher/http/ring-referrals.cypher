// The referrals made of the ring, oldest first.
MATCH (:Ring {ringId: $ringId})<-[:OF_RING]-(f:Referral)
RETURN f.referralId AS referralId, f.agency AS agency, f.caseReference AS caseReference,
       f.createdAt AS createdAt, f.packageSha256 AS packageSha256
ORDER BY createdAt, referralId
