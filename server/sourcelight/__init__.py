"""Sourcelight: see how a news article is sourced."""

__version__ = "0.1.0"
API_VERSION = 1
# Additions that break nothing bump the minor version: 1 = voices, genre, page metadata, limits;
# 2 = 422 unsupported_language (texts not in English are refused, naming their language).
API_MINOR_VERSION = 2
