// Removes the previous run's ring assignment (memberships and seller styling), in batches of its
// own so that a 1M-seller marketplace never needs one huge transaction.
MATCH (s:Seller) WHERE s.ringId IS NOT NULL
CALL (s) {
  OPTIONAL MATCH (s)-[m:MEMBER_OF]->(:Ring)
  DELETE m
  REMOVE s.ringId, s.ringRisk
} IN TRANSACTIONS OF 10000 ROWS
