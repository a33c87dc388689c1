// One batch of sellers. A seller first seen through a listing or link exists with only its id
// (placeholder: true) and gets its store fields here, whatever the order of the files.
UNWIND $rows AS row
MERGE (s:Seller {sellerId: row.sellerId})
SET s.storeName = row.storeName,
    s.registeredAt = CASE WHEN row.registeredAt IS NULL THEN null ELSE datetime(row.registeredAt) END,
    s.country = row.country,
    s.email = row.email,
    s.marketStatus = row.status,
    s.placeholder = false
WITH s, row
CALL (s, row) {
  WITH s, row WHERE row.phoneKey IS NOT NULL
  MERGE (p:Phone {key: row.phoneKey})
  MERGE (s)-[r:HAS_PHONE]->(p)
  SET r.raw = row.phoneRaw, r.normalised = row.phoneNormalised
}
RETURN count(*) AS written
