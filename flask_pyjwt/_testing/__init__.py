"""The testing kit's implementation; :mod:`flask_pyjwt.testing` is its public face."""
