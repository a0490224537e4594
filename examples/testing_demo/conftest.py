"""The app's conftest.py: opt in to flask_pyjwt's fixtures (token_clock, fake_idp)."""

# [start plugins]
pytest_plugins = ["flask_pyjwt.testing"]
# [end plugins]
