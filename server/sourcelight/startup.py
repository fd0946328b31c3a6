"""Checks made before the model loads, so that a wrong model name or a busy port ends `serve` in
a second with one clear line instead of a traceback after the model has loaded."""
from __future__ import annotations

import errno
import importlib.metadata
import os
import socket

from .config import StartupError


def installed_pipelines(lang: str = "en") -> list[str]:
    """Installed spaCy pipeline packages for `lang`, read from the `spacy_models` entry points that
    every spaCy v3 model package registers (what spacy.util.get_installed_models() lists), without
    importing spaCy."""
    names = {entry.name for entry in importlib.metadata.entry_points(group="spacy_models")}
    return sorted(name for name in names if name.startswith(f"{lang}_"))


def check_model(model: str) -> None:
    """The model must be an installed pipeline package or a folder (spaCy checks the rest)."""
    if model.startswith("blank:") or os.path.exists(model):
        return
    names = {entry.name for entry in importlib.metadata.entry_points(group="spacy_models")}
    if model in names:
        return
    english = installed_pipelines("en")
    where = " (nor a pipeline folder)" if os.sep in model or "/" in model else ""
    raise StartupError(f'model "{model}" is not installed{where}; installed English pipelines: '
                       f'{", ".join(english) if english else "none"}')


def check_port(host: str, port: int) -> None:
    """Bind host:port once and let go, as the server is about to. Same options as gunicorn
    (SO_REUSEADDR), so a port left in TIME_WAIT by a server that just stopped counts as free."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise StartupError(f"port {port} on {host} is already in use (is another Sourcelight server "
                                   "running? choose another with --port or SOURCELIGHT_PORT)") from None
            raise StartupError(f"cannot listen on port {port} on {host}: {err.strerror or err}") from None
