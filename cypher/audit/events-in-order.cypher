// Every audit event in chain order, with every stored property (so that `ringwatch audit verify`
// sees a property added to an event, not only the ones it hashes), streamed.
MATCH (e:AuditEvent)
RETURN properties(e) AS event
ORDER BY e.seq
