// One batch of seller addresses, keyed by the canonical address key; one relationship per role.
UNWIND $rows AS row
MERGE (s:Seller {sellerId: row.sellerId})
  ON CREATE SET s.placeholder = true
MERGE (a:Address {key: row.addressKey})
  ON CREATE SET a.city = row.city, a.country = row.country
MERGE (s)-[r:USES_ADDRESS {role: row.role}]->(a)
SET r.raw = row.raw
RETURN count(*) AS written
