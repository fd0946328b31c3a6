"""A real `sourcelight serve` process over HTTP: health, analysis, the security checks and limits."""
from __future__ import annotations

import http.client
import json
import socket

import requests

from support import ServerProcess


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


def test_server_refuses_non_loopback_bind():
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "sourcelight", "serve", "--host", "0.0.0.0", "--port", "0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "loopback" in result.stderr


def test_settings_from_environment():
    server = ServerProcess(env={"SOURCELIGHT_MAX_TEXT_CHARS": "50"})
    try:
        response = requests.post(server.url + "/api/v1/analyze", json={"text": "x" * 51}, timeout=10)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "text_too_long"
    finally:
        server.stop()
