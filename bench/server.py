"""The server a benchmark measures through HTTP: ``CIVATLAS_BENCH_URL`` when set, else
gunicorn as ``make serve`` runs it (DEBUG off, persistent database connections, gthread
workers), started on a free loopback port against ``DATABASE_URL`` and stopped after."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def await_answer(process: subprocess.Popen, url: str, *, name: str, seconds: float = 120,
                 log=lambda: "") -> None:
    """Wait until ``url`` answers, or stop the benchmark: ``process`` (the server) exited
    first (``log()`` tells why) or ``seconds`` passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"{name} exited before answering{log()}") from None
            time.sleep(0.5)
    raise SystemExit(f"{name} did not answer within {seconds:.0f} s")


_connections: dict[tuple[str, int], http.client.HTTPConnection] = {}


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[bytes, http.client.HTTPResponse]:
    """GET ``url`` over one kept-alive HTTP/1.1 connection per server, as a map client
    (a browser, QGIS) reuses its connection: the body as it crossed the wire and the
    response. A connection the server closed is opened again."""
    parts = urllib.parse.urlsplit(url)
    key = (parts.hostname, parts.port)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    for attempt in (1, 2):
        conn = _connections.get(key) or _connections.setdefault(
            key, http.client.HTTPConnection(parts.hostname, parts.port, timeout=120))
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            body = response.read()
        except (http.client.RemoteDisconnected, ConnectionError):
            _connections.pop(key).close()
            if attempt == 2:
                raise
            continue
        if response.status >= 400:
            raise SystemExit(f"GET {url}: HTTP {response.status} {body[:200]!r}")
        return body, response
    raise AssertionError("unreachable")


@contextmanager
def served(*, workers: int = 2, threads: int = 2, probe: str = "/tiles/province/0/0/0.mvt"):
    """Yield the base URL of a running server (ours when CIVATLAS_BENCH_URL is unset)."""
    if url := os.environ.get("CIVATLAS_BENCH_URL"):
        yield url.rstrip("/")
        return
    port = free_port()
    env = {**os.environ, "CIVATLAS_DEBUG": "0", "CIVATLAS_DB_CONN_MAX_AGE": "60",
           "CIVATLAS_SECRET_KEY": os.environ.get("CIVATLAS_SECRET_KEY", "bench-only")}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "geoapp.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--log-level", "warning"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        await_answer(process, url + probe, name="gunicorn")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
