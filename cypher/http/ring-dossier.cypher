// A ring's whole dossier in one statement, so that its parts agree and it costs one round trip:
// the ring when the caller may see it (any ring for an analyst, $brandKey null; for a brand, only
// a ring one of whose members lists that brand), its members, the identifiers two or more members
// share (hubs excluded: they are listed on their own) and the hubs it touches, each with every
// member's link (the drawing is made from these too), at most $limit listings (a brand sees its
// own brand's only) with their count and the typical price of their brand, category and currency,
// its history, closures and, when $internal, referrals. No row when there is no such ring.
// Labels are returned as they are: the reader names the kind (src/vocabulary.ts, KIND_OF_LABEL).
MATCH (r:Ring {ringId: $ringId})
WHERE $brandKey IS NULL
   OR EXISTS { (r)<-[:MEMBER_OF]-(:Seller)<-[:LISTED_BY]-(:Listing {brandKey: $brandKey}) }
CALL (r) {
  MATCH (r)<-[:MEMBER_OF]-(s:Seller)
  WITH s ORDER BY s.sellerId
  RETURN collect({sellerId: s.sellerId, storeName: s.storeName, status: coalesce(s.status, 'active'),
                  country: s.country, registeredAt: s.registeredAt, closedAt: s.closedAt}) AS members
}
CALL (r) {
  CALL (r) {
    MATCH (r)<-[:MEMBER_OF]-(s:Seller)-[rel:PAYS_INTO|USES_ADDRESS|SHIPS_FROM|HAS_PHONE|SENDS_FROM_PHONE|SHIPS_WITH]->(i)
    WHERE NOT coalesce(i.hub, false)
    WITH i, collect(DISTINCT s.sellerId) AS sellerIds, collect(DISTINCT {sellerId: s.sellerId, type: type(rel)}) AS links
    WHERE size(sellerIds) >= 2
    RETURN labels(i) AS labels, i.key AS key, sellerIds, links
    UNION ALL
    MATCH (r)<-[:MEMBER_OF]-(s:Seller)<-[:LISTED_BY]-(:Listing)-[:HAS_IMAGE]->(i:ImageHash)
    WHERE NOT coalesce(i.hub, false)
    WITH i, collect(DISTINCT s.sellerId) AS sellerIds
    WHERE size(sellerIds) >= 2
    RETURN labels(i) AS labels, i.key AS key, sellerIds, [id IN sellerIds | {sellerId: id, type: 'LISTS_IMAGE'}] AS links
  }
  RETURN collect({labels: labels, key: key, sellerIds: sellerIds, links: links}) AS shared
}
CALL (r) {
  MATCH (r)-[t:TOUCHES_HUB]->(h)
  OPTIONAL MATCH (r)<-[:MEMBER_OF]-(s:Seller)-[rel]->(h)
  WITH h, t, collect(DISTINCT {sellerId: s.sellerId, type: type(rel)}) AS links
  RETURN collect({labels: labels(h), key: h.key, sellerCount: h.hubSellerCount, ringSellers: t.sellers,
                  links: [link IN links WHERE link.sellerId IS NOT NULL]}) AS hubs
}
CALL (r) {
  MATCH (r)<-[:MEMBER_OF]-(s:Seller)<-[:LISTED_BY]-(l:Listing)
  WHERE $brandKey IS NULL OR l.brandKey = $brandKey
  RETURN count(l) AS listingCount
}
CALL (r) {
  MATCH (r)<-[:MEMBER_OF]-(s:Seller)<-[:LISTED_BY]-(l:Listing)
  WHERE $brandKey IS NULL OR l.brandKey = $brandKey
  WITH s, l ORDER BY l.listingId
  LIMIT $limit
  RETURN collect({listingId: l.listingId, sellerId: s.sellerId, title: l.title, brand: l.brand, brandKey: l.brandKey,
                  category: l.category, price: l.price, currency: l.currency, verdict: l.verdict}) AS listings
}
// The marketplace's typical price for each brand, category and currency the listings show: the
// upper quartile (percentileDisc 0.75, so an actual listed price: cypher/detect/reference_prices.cypher)
// that the last detection stored and scored with; for a group it has not seen (no detection since the listings arrived), computed here over
// every listing of that brand and category in that currency. Currencies are never mixed.
CALL (listings) {
  UNWIND listings AS l
  WITH DISTINCT l.brandKey AS brandKey, l.category AS category, l.currency AS currency
  WHERE brandKey IS NOT NULL AND category IS NOT NULL AND currency IS NOT NULL
  OPTIONAL MATCH (t:TypicalPrice {key: brandKey + '|' + category + '|' + currency})
  // The seek's key is null when a typical price is stored, so that nothing is read then: a filter on `t`
  // alone was planned after the seek, which read every listing of the brand (330,000 at 200k sellers).
  CALL (brandKey, category, currency, t) {
    WITH CASE WHEN t.typicalPrice IS NULL THEN brandKey END AS liveBrandKey, category, currency
    MATCH (o:Listing {brandKey: liveBrandKey, category: category})
    WHERE o.currency = currency AND o.price IS NOT NULL
    RETURN percentileDisc(o.price, 0.75) AS liveTypicalPrice
  }
  RETURN collect({brandKey: brandKey, category: category, currency: currency, typicalPrice: coalesce(t.typicalPrice, liveTypicalPrice)}) AS typicalPrices
}
// What detection runs said about the ring, oldest first: its identity events (new, continued,
// merged, split, dissolved) and the alerts raised on it (with the alert's id, stores and
// evidence; `alertId` is null for an identity event).
CALL (r) {
  CALL (r) {
    MATCH (r)-[:HAD_EVENT]->(e:RingEvent)
    RETURN e.type AS type, e.runId AS runId, e.at AS at, e.detail AS detail,
           null AS alertId, null AS sellerIds, null AS evidence
    UNION ALL
    MATCH (r)<-[:ALERT_ON]-(a:Alert)
    RETURN a.kind AS type, a.runId AS runId, a.createdAt AS at, null AS detail,
           a.alertId AS alertId, a.sellerIds AS sellerIds, a.evidence AS evidence
  }
  WITH type, runId, at, detail, alertId, sellerIds, evidence
  ORDER BY at, runId, alertId IS NOT NULL, alertId
  RETURN collect({type: type, runId: runId, at: at, detail: detail, alertId: alertId, sellerIds: sellerIds, evidence: evidence}) AS history
}
CALL (r) {
  MATCH (r)<-[:OF_RING]-(c:Closure)
  WITH c ORDER BY c.at, c.closureId
  RETURN collect({closureId: c.closureId, at: c.at, sellerIds: c.sellerIds, reason: c.reason}) AS closures
}
CALL (r) {
  MATCH (r)<-[:OF_RING]-(f:Referral)
  WHERE $internal
  WITH f ORDER BY f.createdAt, f.referralId
  RETURN collect({referralId: f.referralId, agency: f.agency, caseReference: f.caseReference,
                  createdAt: f.createdAt, packageSha256: f.packageSha256}) AS referrals
}
RETURN r.ringId AS ringId, coalesce(r.riskScore, 0.0) AS riskScore, coalesce(r.flagged, false) AS flagged,
       r.factors AS factors, r.size AS size, coalesce(r.brands, []) AS brands,
       r.firstSeen AS firstSeen, r.lastSeen AS lastSeen, coalesce(r.active, true) AS active,
       coalesce(r.status, $vocabulary.ringStatus.open) AS status,
       members, shared, hubs, listingCount, listings, typicalPrices, history, closures, referrals
