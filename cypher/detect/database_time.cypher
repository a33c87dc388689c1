// The database's clock, for a watermark where SHOW TRANSACTIONS is not allowed (watermark.cypher).
RETURN toString(datetime.transaction()) AS now
