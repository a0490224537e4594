"""Pytest configuration shared by every suite."""

from __future__ import annotations
