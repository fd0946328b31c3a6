"""Fixtures for the real-browser tests (helpers live in e2e_support.py)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from .e2e_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    EXTENSION,
    ClosedShadow,
    Extension,
    ServerProcess,
    Site,
)


@pytest.fixture(scope="session")
def server():
    s = ServerProcess("main")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    s = Site(tmp_path_factory.mktemp("site"))
    yield s
    s.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-browsers.sh (make test does)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def chromium(playwright_instance, tmp_path_factory):
    """One Chromium with the unpacked extension for the whole session."""
    ctx = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=CHROMIUM,
        headless=True,
        args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}", *CHROMIUM_ARGS],
        viewport={"width": 1280, "height": 900},
    )
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def extension(chromium):
    return Extension(chromium)


@pytest.fixture
def ext(extension, server):
    """The extension with clean storage, pointed at the real server."""
    extension.reset(server.url)
    return extension


@pytest.fixture
def page(chromium):
    p = chromium.new_page()
    dialogs = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.dialogs = dialogs
    yield p
    p.close()


@pytest.fixture
def panel(page):
    return ClosedShadow(page)


