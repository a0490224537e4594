"""Runnable example apps used by the README, the docs and the tests."""
