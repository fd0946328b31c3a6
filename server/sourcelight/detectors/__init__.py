"""Sourcelight's detectors, one module each; importing this package registers their spaCy factories."""
from . import attribution, claims, hedges, paragraphs, quotes, source_types  # noqa: F401
