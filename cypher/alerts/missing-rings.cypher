// The ring ids among $ringIds that no ring has: why an alert write came short.
UNWIND $ringIds AS ringId
OPTIONAL MATCH (r:Ring {ringId: ringId})
WITH ringId, r WHERE r IS NULL
RETURN ringId
