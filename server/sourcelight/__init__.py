"""Sourcelight: see how a news article is sourced."""

__version__ = "0.1.0"
API_VERSION = 1
