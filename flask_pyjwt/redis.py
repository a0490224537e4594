"""The Redis (or Valkey) revocation store, and the client Protocols it is written against.

:class:`RedisRevocationStore` is also importable from ``flask_pyjwt``.
:class:`RedisClient` and :class:`RedisScript` describe the part of a redis-py client
the store uses, for an app that passes its own client (``RedisRevocationStore(client)``).
redis-py is an optional dependency (``pip install 'flask_pyjwt[redis]'``): importing
this module does not import it; :meth:`RedisRevocationStore.from_url` does.
"""

from flask_pyjwt._backends.redis_store import RedisClient, RedisRevocationStore, RedisScript

__all__ = ["RedisClient", "RedisRevocationStore", "RedisScript"]
