// The database's clock, the one ingest marks changed sellers with (datetime.transaction()).
RETURN toString(datetime.transaction()) AS now
