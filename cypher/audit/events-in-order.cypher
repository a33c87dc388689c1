// Every audit event in chain order, streamed by `ringwatch audit verify`.
MATCH (e:AuditEvent)
RETURN e.seq AS seq, e.at AS at, e.keyId AS keyId, e.role AS role, e.action AS action,
       e.target AS target, e.requestId AS requestId, e.detail AS detail,
       e.prevHash AS prevHash, e.hash AS hash
ORDER BY e.seq
