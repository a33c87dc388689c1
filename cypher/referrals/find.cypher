// A referral's package, for download.
MATCH (f:Referral {referralId: $referralId})
RETURN f.referralId AS referralId, f.ringId AS ringId, f.agencyKey AS agencyKey,
       f.packageFile AS packageFile, f.packageSha256 AS packageSha256
