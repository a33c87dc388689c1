// Typical prices of groups that no longer have listings.
MATCH (t:TypicalPrice) WHERE t.runId <> $runId
DELETE t
RETURN count(*) AS removed
