// Claims the Idempotency-Key before anything else happens: under the uniqueness constraint on
// idempotencyScope, of requests racing with one key exactly one creates the closure and the others
// wait for its transaction, then find it (or, if it rolled back, claim it themselves).
MERGE (c:Closure {idempotencyScope: $scope})
  ON CREATE SET c.closureId = $closureId, c.ringId = $ringId, c.reason = $reason, c.dryRun = false,
                c.idempotencyKey = $idempotencyKey, c.requestHash = $requestHash,
                c.at = datetime($at), c.keyId = $keyId
RETURN c.closureId AS closureId, c.closureId = $closureId AS created, c.requestHash AS requestHash,
       c.sellerIds AS sellerIds, c.ringStatus AS ringStatus
