"""Configuration: ``app.config``, ``os.environ`` and ``.env`` → the core's values.

``sources`` (where a value is looked up, under which spellings; ``""`` is unset),
``catalogue`` (the keys), ``readers`` (the one set of value readers), ``transport`` (the
transport keys), ``settings`` (:func:`~.settings.load_settings`) and
``keys`` (:func:`~.keys.load_keys`, by kind in ``keys_hmac``, ``keys_pair`` and
``keys_jwk``). No Flask and no network here; the Flask layer's wiring calls it.
"""
