// Where the next incremental run starts looking for changes: the start of the oldest transaction
// open now, this one included. A write still open (an ingest batch, a verdict) marks its sellers
// with its own start time and may commit after this run began reading, so the watermark goes back
// to it; changed_sellers.cypher takes marks at or after the watermark, so a mark made at that very
// instant is not missed.
SHOW TRANSACTIONS YIELD startTime
RETURN toString(min(startTime)) AS watermark
