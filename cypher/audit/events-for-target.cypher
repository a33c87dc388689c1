// The latest audit events about some targets (a ring, a referral), for an evidence package; the
// caller puts them back in chain order.
MATCH (e:AuditEvent)
WHERE e.target IN $targets
RETURN e.seq AS seq, e.at AS at, e.keyId AS keyId, e.role AS role, e.action AS action,
       e.target AS target, e.requestId AS requestId, e.detail AS detail,
       e.prevHash AS prevHash, e.hash AS hash
ORDER BY e.seq DESC
LIMIT $limit
