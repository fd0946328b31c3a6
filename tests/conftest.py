"""Shared fixtures: the real model is loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest
from sourcelight.app import create_app
from sourcelight.pipeline import Analyzer
from support import ServerProcess

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def nlp(analyzer):
    return analyzer.nlp


@pytest.fixture()
def app(analyzer):
    return create_app({"max_text_chars": 200_000}, analyzer=analyzer)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (FIXTURES / "seed-article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def analyse(analyzer):
    """text -> API response dict with code-point offsets (for detector tests)."""
    from sourcelight.serialize import to_api

    def run(text: str) -> dict:
        return to_api(analyzer.analyze_text(text), "codepoints")
    return run


@pytest.fixture(scope="session")
def live_server():
    server = ServerProcess()
    yield server
    server.stop()
