"""Who may talk to the server: loopback Host names only, and browser-extension origins only.

Checked before any body is read or any analysis runs.
"""
from __future__ import annotations

import ipaddress
import re

from flask import request

from .errors import APIError

LOOPBACK_NAMES = {"localhost", "localhost.", "127.0.0.1", "::1"}
EXTENSION_ORIGIN = re.compile(r"^(chrome-extension|moz-extension)://([A-Za-z0-9._\-{}]+)/?$")


def host_is_loopback(host_header: str | None) -> bool:
    if not host_header:
        return False
    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:8765
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.rsplit(":", 1)[0]
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_allowed(origin: str | None, allowed_ids: tuple[str, ...]) -> bool:
    """No Origin (curl, CLI, tests) is allowed; a web origin, or `null`, never is."""
    if origin is None:
        return True
    match = EXTENSION_ORIGIN.match(origin.strip())
    if not match:
        return False
    return not allowed_ids or match.group(2) in allowed_ids


def check_request(settings) -> None:
    if not host_is_loopback(request.host):
        raise APIError(403, "host_not_allowed",
                       "Sourcelight answers only on a loopback address (localhost or 127.0.0.1).", "Host")
    if not origin_allowed(request.headers.get("Origin"), settings.allowed_extension_ids):
        raise APIError(403, "origin_not_allowed",
                       "Only the Sourcelight browser extension may call this server.", "Origin")
