// Data written by earlier versions, brought to what this one reads. Each statement is idempotent
// and touches only what is still in the old shape.

// TypicalPrice.median became TypicalPrice.typicalPrice when the typical price became the upper
// quartile (cypher/detect/reference_prices.cypher). A stored median is kept as the typical price
// until the next full detection recomputes it, so that dossiers and incremental runs never go
// without one meanwhile.
MATCH (t:TypicalPrice)
WHERE t.typicalPrice IS NULL AND t.median IS NOT NULL
SET t.typicalPrice = t.median
REMOVE t.median;
