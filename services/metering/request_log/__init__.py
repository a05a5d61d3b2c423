"""The request log: one record per request the gateway served (records.py: validation and conversion; store.py: batched
idempotent writes and tenant reads; partitions.py: one partition per expiry day; retention.py and archive.py: expired
partitions archived to S3, then dropped; consumer.py: the Redis Stream consumer)."""
