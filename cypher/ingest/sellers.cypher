// One batch of sellers. A seller first seen through a listing or link exists with only its id
// (placeholder: true) and gets its store fields here, whatever the order of the files.
UNWIND range(0, size($columns.sellerId) - 1) AS i
WITH {sellerId: $columns.sellerId[i], storeName: $columns.storeName[i],
      registeredAt: $columns.registeredAt[i], country: $columns.country[i], email: $columns.email[i],
      status: $columns.status[i], phoneKey: $columns.phoneKey[i], phoneRaw: $columns.phoneRaw[i],
      phoneNormalised: $columns.phoneNormalised[i], link: $columns.link[i]} AS row
MERGE (s:Seller {sellerId: row.sellerId})
// Only this statement gives a seller a store name and a phone link, so a seller without a store
// name has no phone link yet: it is created without looking for one (most rows of a first load).
WITH s, row, s.storeName IS NULL AS firstRecord
// A new store, or one whose marketplace status changed, is looked at again by the next incremental
// detection (docs/live.md, "Incremental detection"), as is one that gains a phone link below.
SET s.changedAt = CASE WHEN firstRecord OR coalesce(s.marketStatus, '') <> coalesce(row.status, '') THEN datetime.transaction() ELSE s.changedAt END
SET s.storeName = row.storeName,
    s.registeredAt = CASE WHEN row.registeredAt IS NULL THEN null ELSE datetime(row.registeredAt) END,
    s.country = row.country,
    s.email = row.email,
    s.marketStatus = row.status,
    s.placeholder = false
// The phone link is found or created, not MERGEd: see "Links to shared identifiers" in
// src/ingest/load.ts.
WITH s, row, firstRecord WHERE row.phoneKey IS NOT NULL AND row.link
MERGE (p:Phone {key: row.phoneKey})
WITH s, p, row, firstRecord
OPTIONAL MATCH (s)-[existing:HAS_PHONE]->(p) WHERE NOT firstRecord
FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
  CREATE (s)-[:HAS_PHONE {raw: row.phoneRaw, normalised: row.phoneNormalised}]->(p)
  SET s.changedAt = datetime.transaction())
SET existing.raw = row.phoneRaw, existing.normalised = row.phoneNormalised
RETURN count(*) AS written
