"""An app and its own test suite, written with flask_pyjwt.testing (docs: testing.rst)."""
