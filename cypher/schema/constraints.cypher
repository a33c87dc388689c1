// Key constraints for every label the ingest, detection and API MERGE on. Each constraint also
// gives the index that makes the MERGE a lookup rather than a scan. IF NOT EXISTS keeps this
// file idempotent: `ringwatch db migrate` and every start apply it again safely.
CREATE CONSTRAINT seller_id IF NOT EXISTS FOR (n:Seller) REQUIRE n.sellerId IS UNIQUE;
CREATE CONSTRAINT listing_id IF NOT EXISTS FOR (n:Listing) REQUIRE n.listingId IS UNIQUE;
CREATE CONSTRAINT payment_account_key IF NOT EXISTS FOR (n:PaymentAccount) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT address_key IF NOT EXISTS FOR (n:Address) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT phone_key IF NOT EXISTS FOR (n:Phone) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT carrier_account_key IF NOT EXISTS FOR (n:CarrierAccount) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT image_hash_key IF NOT EXISTS FOR (n:ImageHash) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT brand_name IF NOT EXISTS FOR (n:Brand) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT ring_id IF NOT EXISTS FOR (n:Ring) REQUIRE n.ringId IS UNIQUE;
CREATE CONSTRAINT detection_run_id IF NOT EXISTS FOR (n:DetectionRun) REQUIRE n.runId IS UNIQUE;
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.keyId IS UNIQUE;
CREATE CONSTRAINT closure_id IF NOT EXISTS FOR (n:Closure) REQUIRE n.closureId IS UNIQUE;
CREATE CONSTRAINT referral_id IF NOT EXISTS FOR (n:Referral) REQUIRE n.referralId IS UNIQUE;
CREATE CONSTRAINT audit_event_seq IF NOT EXISTS FOR (n:AuditEvent) REQUIRE n.seq IS UNIQUE;
CREATE CONSTRAINT verdict_id IF NOT EXISTS FOR (n:Verdict) REQUIRE n.verdictId IS UNIQUE;
CREATE INDEX seller_ring IF NOT EXISTS FOR (n:Seller) ON (n.ringId);
CREATE INDEX listing_brand IF NOT EXISTS FOR (n:Listing) ON (n.brand);
CREATE INDEX ring_risk IF NOT EXISTS FOR (n:Ring) ON (n.riskScore);
CREATE CONSTRAINT audit_head_id IF NOT EXISTS FOR (n:AuditHead) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT closure_idempotency IF NOT EXISTS FOR (n:Closure) REQUIRE n.idempotencyScope IS UNIQUE;
CREATE INDEX audit_event_target IF NOT EXISTS FOR (n:AuditEvent) ON (n.target);
CREATE INDEX listing_brand_key_category IF NOT EXISTS FOR (n:Listing) ON (n.brandKey, n.category);
CREATE INDEX seller_closed_at IF NOT EXISTS FOR (n:Seller) ON (n.closedAt);
CREATE CONSTRAINT typical_price_key IF NOT EXISTS FOR (n:TypicalPrice) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT audit_checkpoint_seq IF NOT EXISTS FOR (n:AuditCheckpoint) REQUIRE n.seq IS UNIQUE;
CREATE CONSTRAINT referral_idempotency IF NOT EXISTS FOR (n:Referral) REQUIRE n.idempotencyScope IS UNIQUE;
CREATE INDEX seller_changed_at IF NOT EXISTS FOR (n:Seller) ON (n.changedAt);
CREATE CONSTRAINT alert_id IF NOT EXISTS FOR (n:Alert) REQUIRE n.alertId IS UNIQUE;
CREATE INDEX alert_created_at IF NOT EXISTS FOR (n:Alert) ON (n.createdAt);
CREATE CONSTRAINT webhook_id IF NOT EXISTS FOR (n:Webhook) REQUIRE n.webhookId IS UNIQUE;
// One delivery per webhook and alert: the dispatchers of several `serve` processes fan out the same
// alert to the same webhook at most once between them.
CREATE CONSTRAINT webhook_delivery_pair IF NOT EXISTS FOR (n:WebhookDelivery) REQUIRE (n.webhookId, n.alertId) IS UNIQUE;
CREATE CONSTRAINT webhook_delivery_event_id IF NOT EXISTS FOR (n:WebhookDelivery) REQUIRE n.eventId IS UNIQUE;
CREATE INDEX webhook_delivery_due IF NOT EXISTS FOR (n:WebhookDelivery) ON (n.status, n.nextAttemptAt);
CREATE INDEX webhook_delivery_webhook IF NOT EXISTS FOR (n:WebhookDelivery) ON (n.webhookId, n.status);
// Detection reads the (few) listings a brand confirmed as counterfeit, to find listings that use
// their photos (cypher/detect/confirmed_photos.cypher), without scanning every listing.
CREATE INDEX listing_verdict IF NOT EXISTS FOR (n:Listing) ON (n.verdict);
// The one revocation watermark (cypher/auth/bump-revocations.cypher): two revocations at once
// must move one node, not make two.
CREATE CONSTRAINT key_revocations_id IF NOT EXISTS FOR (n:KeyRevocations) REQUIRE n.id IS UNIQUE;
