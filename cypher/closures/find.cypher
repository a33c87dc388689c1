// A closure already made under this key's Idempotency-Key, if any.
MATCH (c:Closure {idempotencyScope: $scope})
RETURN c.closureId AS closureId, c.requestHash AS requestHash, c.sellerIds AS sellerIds, c.ringStatus AS ringStatus
