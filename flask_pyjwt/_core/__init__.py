"""The pure core: token formats, keys, signing, verification and claim matching.

Nothing in this package imports Flask, Werkzeug or click (``make test`` enforces it with
an import-linter contract), so it can be read, tested and benchmarked without an app.
The Flask layer (the manager, the decorator, ``current_token``, the HTTP errors and the
CLI) is the package beside it, ``flask_pyjwt._flask``, and calls into this one.
"""
