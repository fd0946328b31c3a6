"""The command line: analyze prints a readable report; batch writes one response per line and skips bad lines."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args, input=None):
    return subprocess.run([sys.executable, "-m", "sourcelight", *args], capture_output=True, text=True,
                          input=input, timeout=300)


def test_analyze_prints_report():
    result = run("analyze", str(FIXTURES / "seed-article.txt"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for heading in ("Grade:", "Score:", "Why this score", "Who says what", "Flagged sentences"):
        assert heading in out
    assert "\033[" not in out  # no colour codes when not on a terminal


def test_analyze_json_from_stdin():
    result = run("analyze", "-", "--json", input="The minister said the talks had failed.")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["api_version"] == 1 and body["meta"]["offsets"] == "codepoints"


def test_analyze_missing_file():
    result = run("analyze", "/nonexistent/article.txt")
    assert result.returncode == 1
    assert "cannot read" in result.stderr


def test_batch_skips_malformed_lines(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": "a", "text": "The mayor said the bridge would reopen on Monday."}),
        "{this is not json",
        json.dumps({"id": "b", "text": 7}),
        json.dumps({"id": "c", "text": "Critics argue the plan will fail, according to Reuters."}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("batch", str(source), str(out), "--no-progress")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "c"]
    assert all(line["api_version"] == 1 and "summary" in line for line in lines)
    assert "line 2 skipped" in result.stderr and "line 3 skipped" in result.stderr
    assert "2 analysed, 2 skipped" in result.stderr


def test_analyze_unknown_model_is_one_line():
    result = run("analyze", "-", "--model", "en_core_web_xx", input="The minister said so.")
    assert result.returncode == 2
    assert result.stderr.startswith('sourcelight: model "en_core_web_xx" is not installed; installed English '
                                    "pipelines: ")
    assert "Traceback" not in result.stderr


def test_numeric_settings_name_their_variable():
    import pytest
    from sourcelight.config import Settings, StartupError
    assert Settings.load(environ={"SOURCELIGHT_PORT": " 9000 ", "SOURCELIGHT_CACHE_SIZE": "0"}).port == 9000
    for name, value in [("SOURCELIGHT_PORT", "abc"), ("SOURCELIGHT_PORT", "0"), ("SOURCELIGHT_PORT", "8765.5"),
                        ("SOURCELIGHT_THREADS", "0"), ("SOURCELIGHT_MAX_BODY_BYTES", ""),
                        ("SOURCELIGHT_CACHE_SIZE", "-1"), ("SOURCELIGHT_MAX_TEXT_CHARS", "1e6")]:
        if value == "":
            assert Settings.load(environ={name: value}) == Settings()  # empty means unset
            continue
        with pytest.raises(StartupError, match=f'^{name} must be a whole number .*, got "{value}"$'):
            Settings.load(environ={name: value})
    with pytest.raises(StartupError, match=r'^port must be a whole number from 1 to 65535, got "99999"$'):
        Settings.load({"port": 99999}, environ={})
