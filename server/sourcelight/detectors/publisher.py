"""The page's publisher: its host name, and whether an outlet named in the text is that publisher
("The Post has learned" in a Washington Post article is the outlet's own voice)."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlparse

from ..rules import load_rules


def strip_determiner(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.I)


def outlet_is_publisher(outlet: str, host: str | None) -> bool:
    """Is this outlet ("Reuters Health", "The Times") the publisher of the page at `host`?"""
    if not host:
        return False
    domains = _outlet_domains().get(outlet.lower()) or _outlet_domains().get(strip_determiner(outlet).lower())
    if domains:
        return any(host == d or host.endswith("." + d) for d in domains)
    compact = re.sub(r"[^a-z0-9]", "", outlet.lower()).removeprefix("the")
    labels = [label for label in host.removeprefix("www.").split(".")[:-1] if len(label) >= 4]
    return len(compact) >= 4 and any(compact in label or label in compact for label in labels)


@lru_cache(maxsize=1)
def _outlet_domains() -> dict[str, list[str]]:
    return {r["name"].lower(): r["domains"] for r in load_rules("outlets") if r.get("domains")}


def host_from_url(url: str | None) -> str | None:
    """The page's host name, lower-cased ("www.nytimes.com"), for telling the publisher's own voice."""
    if not url:
        return None
    try:
        return (urlparse(url).hostname or "").lower() or None
    except ValueError:
        return None
