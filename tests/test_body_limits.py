"""Body limits and broken framing against a real `sourcelight serve`: hand-made requests.

The worker's HTTP front (waitress) reads each request whole before the app sees it, so a bad chunk
or a body over the limit is answered by the front, in the API's JSON error shape (with a request
id that is in the log), and a body that never completes is never analysed: never a 500 or a cut
analysis.
"""
from __future__ import annotations

import json
import socket
import threading
import time

LIMIT = 2 * 1024 * 1024  # the default --max-body-bytes the `live_server` fixture runs with
HEAD = (b"POST /api/v1/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n")


def chunked(*chunks: bytes) -> bytes:
    framed = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks)
    return HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + framed + b"0\r\n\r\n"


def read_response(sock: socket.socket) -> tuple[int, dict, bytes]:
    """Status, headers (lower-case names) and body of one response with a Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        assert piece, f"connection closed before a response: {data!r}"
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict((name.strip().lower(), value.strip()) for name, value in
                   (line.split(":", 1) for line in lines[1:]))
    while len(body) < int(headers["content-length"]):
        piece = sock.recv(65536)
        assert piece, "connection closed inside the response body"
        body += piece
    return int(lines[0].split()[1]), headers, body


def exchange(port: int, request: bytes, half_close: bool = False) -> tuple[int, dict, bytes, bytes]:
    """Send `request` (from a thread, so a server that stops reading cannot block us), read one
    response, then whatever follows until the server closes or goes quiet (b"" = closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        def send():
            try:
                sock.sendall(request)
                if half_close:
                    sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the server answered and closed before taking all of it
        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        status, headers, body = read_response(sock)
        sock.settimeout(1.0)
        try:
            after = sock.recv(65536)
        except socket.timeout:
            after = None  # still open (keep-alive)
        except ConnectionResetError:
            after = b""
        sender.join(5)
    return status, headers, body, after


def assert_json_error(status, headers, body, expected_status, code) -> dict:
    assert status == expected_status, body
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["code"] == code
    assert error["request_id"] == headers["x-request-id"]
    return error


def log_lines(server, request_id: str) -> list[str]:
    time.sleep(0.1)  # the log line is written just after the response
    return [line for line in server.log_path.read_text(errors="replace").splitlines() if request_id in line]


def test_chunked_body_one_byte_over_the_limit_is_413(live_server):
    body = b'{"text": "The mayor said so."}'
    body += b" " * (LIMIT + 1 - len(body))  # valid JSON if cut at the limit: must not be analysed
    status, headers, answer, _ = exchange(live_server.port, chunked(body[:LIMIT // 2], body[LIMIT // 2:]))
    assert_json_error(status, headers, answer, 413, "body_too_large")


def test_chunked_body_far_over_the_limit_is_413_not_a_cut_string(live_server):
    body = b'{"text": "' + b"a" * (LIMIT + 500_000) + b'"}'  # once answered 400 bad_json (cut at 2 MiB)
    status, headers, answer, _ = exchange(live_server.port, chunked(body))
    assert_json_error(status, headers, answer, 413, "body_too_large")


def test_chunked_body_at_the_limit_is_analysed(live_server):
    body = b'{"text": "The mayor said so."}'
    body += b" " * (LIMIT - len(body))  # exactly the limit (JSON allows trailing whitespace)
    status, headers, answer, after = exchange(live_server.port, chunked(body[:1000], body[1000:]))
    assert status == 200, answer
    assert json.loads(answer)["summary"]["grade"]
    assert after is None  # a complete body: the connection stays open for the next request


def test_plain_body_one_byte_over_the_limit_is_413(live_server):
    body = b'{"text": "hi"}' + b" " * (LIMIT + 1 - 14)
    request = HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body
    status, headers, answer, _ = exchange(live_server.port, request)
    assert_json_error(status, headers, answer, 413, "body_too_large")


def test_malformed_chunk_size_is_400_json_logged_without_traceback(live_server):
    request = HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
    status, headers, answer, after = exchange(live_server.port, request)
    error = assert_json_error(status, headers, answer, 400, "bad_request")
    assert after == b""  # where the next request would start is unknown: the server closes
    lines = log_lines(live_server, error["request_id"])
    assert any(" WARNING " in line and "Invalid chunk size" in line for line in lines), lines
    assert not any(" ERROR " in line or " 500 " in line for line in lines), lines
    log = live_server.log_path.read_text(errors="replace")
    assert "Traceback" not in log[log.index(error["request_id"]):]


def test_missing_chunk_terminator_is_400_json(live_server):
    request = HEAD + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n"
    status, headers, answer, after = exchange(live_server.port, request)
    error = assert_json_error(status, headers, answer, 400, "bad_request")
    assert after == b""
    assert any("chunk" in line.lower() for line in log_lines(live_server, error["request_id"]))


def test_body_shorter_than_its_content_length_is_never_analysed(live_server):
    """The client announces 100 bytes, sends 14 (valid JSON on its own) and shuts its write side:
    no complete request ever arrived, so nothing is analysed; the server closes the connection at
    once (no hang) and goes on serving."""
    request = HEAD + b"Content-Length: 100\r\n\r\n" + b'{"text": "hi"}'
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=5) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        started = time.monotonic()
        assert sock.recv(65536) == b""  # closed, no answer to a request that never completed
        assert time.monotonic() - started < 3
    log = live_server.log_path.read_text(errors="replace")
    assert "Traceback" not in log
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=5) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_response(sock)[0] == 200
