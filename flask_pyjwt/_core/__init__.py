"""The pure core: token formats, keys, signing, verification and claim matching.

Nothing in this package imports Flask, Werkzeug or click, nor does any I/O (``make test``
enforces both with import-linter contracts), so it can be read, tested and benchmarked
without an app. The configuration is read by ``flask_pyjwt._settings`` and the network
and Redis are reached by ``flask_pyjwt._backends``.
The Flask layer (the manager, the decorator, ``current_token``, the HTTP errors and the
CLI) is the package beside it, ``flask_pyjwt._flask``, and calls into this one.
"""
