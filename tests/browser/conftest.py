"""Real-browser tests of ``blitar-sim viz``: Debian's chromium driven by Playwright.

One Solara server per test process (pytest-xdist worker) on a free loopback port, shared
by the browser test modules and stopped at the end. It runs with every proxy variable
pointing at a local *trap* (a listener that records connection attempts), so an outbound
request made through Python's HTTP clients is counted instead of leaving the machine.
Without /usr/bin/chromium the browser tests skip with the reason (CI installs it:
.ci/run). Screenshots, server logs and timings go to tests/browser/artifacts/ (ignored by
git).
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="real-browser tests need Debian's chromium at /usr/bin/chromium "
           "(apt-get install chromium); CI installs it in .ci/run")
# a small ensemble at scale 10 keeps CI fast; the page works the same with 8 seeds at full
# scale (benchmarks/bench_viz.py measures that)
SEEDS, SCALE = "3", "10"


@dataclass
class Trap:
    """A TCP listener on loopback that accepts and records every connection."""

    port: int
    attempts: list[bytes] = field(default_factory=list)


def _start_trap() -> Trap:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    trap = Trap(sock.getsockname()[1])

    def serve() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1.0)
                try:
                    trap.attempts.append(conn.recv(200))
                except OSError:
                    trap.attempts.append(b"")

    threading.Thread(target=serve, daemon=True).start()
    return trap


@dataclass
class App:
    url: str
    log: Path
    trap: Trap


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Make pytest-playwright launch Debian's chromium, offline-friendly flags."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM),
            "args": CHROMIUM_ARGS, "timeout": 30_000}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1600, "height": 1100},
            "accept_downloads": True, "locale": "id-ID"}


@pytest.fixture(scope="session")
def app() -> Iterator[App]:
    """A ``solara run`` of the app on 127.0.0.1 with proxies pointed at a trap."""
    from simulation.viz import server

    ARTIFACTS.mkdir(exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    log = ARTIFACTS / f"server_{worker}.log"
    trap = _start_trap()
    proxy = f"http://127.0.0.1:{trap.port}"
    env = {"BLITAR_VIZ_SEEDS": SEEDS, "BLITAR_VIZ_SCALE": SCALE, "BLITAR_VIZ_WORKERS": "1",
           **{k: proxy for k in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy",
                                 "https_proxy", "all_proxy")},
           "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    proc, url = server.start(server.LOOPBACK, server.free_port(), log=log, env=env)
    try:
        server.wait_ready(proc, url, timeout=90)
        yield App(url, log, trap)
    finally:
        server.stop(proc)


@pytest.fixture(scope="session")
def app_url(app: App) -> str:
    return app.url


def record_timing(name: str, seconds: float | list[float]) -> None:
    """Append a measurement to artifacts/timings_<worker>.json."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"timings_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = seconds
    path.write_text(json.dumps(data, indent=2))
