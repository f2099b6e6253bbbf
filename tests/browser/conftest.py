"""Real-browser tests of ``blitar-sim viz``: Debian's chromium driven by Playwright.

Each test module that uses ``app_url`` starts its own Solara server on a free loopback
port (so pytest-xdist workers never share one) and stops it afterwards. Without
/usr/bin/chromium the browser tests skip with the reason (CI installs it: .ci/run).
Screenshots and timings go to tests/browser/artifacts/.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Make pytest-playwright launch Debian's chromium, offline-friendly flags."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM),
            "args": CHROMIUM_ARGS, "timeout": 30_000}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1600, "height": 1100},
            "accept_downloads": True}


@pytest.fixture(scope="module")
def app_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh ``solara run`` of the app on 127.0.0.1 for this module; stopped after."""
    from simulation.viz import server

    ARTIFACTS.mkdir(exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    log = ARTIFACTS / f"server_{request.module.__name__.rsplit('.', 1)[-1]}_{worker}.log"
    proc, url = server.start(server.LOOPBACK, server.free_port(), log=log)
    try:
        server.wait_ready(proc, url, timeout=90)
        yield url
    finally:
        server.stop(proc)


def record_timing(name: str, seconds: float | list[float]) -> None:
    """Append a measurement to artifacts/timings.json (read by the report)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"timings_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = seconds
    path.write_text(json.dumps(data, indent=2))
