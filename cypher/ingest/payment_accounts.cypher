// One batch of seller payment accounts, keyed by the account's significant characters; the
// form the seller typed stays on the relationship as evidence.
UNWIND $rows AS row
MERGE (s:Seller {sellerId: row.sellerId})
  ON CREATE SET s.placeholder = true
MERGE (a:PaymentAccount {key: row.accountKey})
SET a.kind = row.kind, a.institution = coalesce(row.institution, a.institution)
MERGE (s)-[r:PAYS_INTO]->(a)
SET r.raw = row.raw, r.kind = row.kind, r.holderName = row.holderName, r.institution = row.institution
RETURN count(*) AS written
