// Forgets the previous run's hub marks; this run marks its own.
MATCH (h:Hub)
CALL (h) {
  REMOVE h:Hub, h.hub, h.hubSellerCount
} IN TRANSACTIONS OF 10000 ROWS
