"""Sourcelight: see how a news article is sourced."""

__version__ = "0.1.0"
API_VERSION = 1
# Additions that break nothing bump the minor version: 1 = voices, genre, page metadata, limits.
API_MINOR_VERSION = 1
