"""The adapters: the I/O behind the core's Protocols (no Flask here).

``redis_store`` (the Redis revocation store) and ``redis_deadline`` (one deadline per
whole Redis answer) talk to Redis; ``jwks`` fetches an identity provider's JWKS document
over HTTP for the core's key cache. Only the Flask layer's wiring imports this package
(and the public ``RedisRevocationStore`` re-export), so the core stays free of I/O.
"""
