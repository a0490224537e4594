"""The Flask layer: the only package of flask_pyjwt that imports Flask, Werkzeug or click.

Named by role, from the top of its layers down (the ``layers`` contract in
pyproject.toml keeps every import pointing down): ``manager`` (the extension object) and
``decorator`` (``require_token``, ``verify_request``); ``setup`` (``init_app``'s
wiring) and ``protection`` (one request's checks); ``cli`` (``flask jwt``) and
``users`` (the user loader); ``current`` (``current_token``), ``transport`` (where the
token travels, the CSRF header), ``cookies`` (writing and expiring the token cookies),
``routes`` (the JWKS route) and ``placement`` (the decorator-order guard); ``state``
(each app's state in ``app.extensions``); ``context`` (the current app and request, one
call each) and ``http_errors`` (the Werkzeug 401/403/503 exceptions).
"""
