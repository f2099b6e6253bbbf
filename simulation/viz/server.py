"""Start the browser view with ``solara run``, offline and on loopback.

Solara's browser assets come from the ``solara-assets`` package through Solara's asset
proxy (the page never addresses a CDN, and the proxy's own CDN fallback is switched off in
``app.py``); telemetry and Solara's badge are off; the page uses no Markdown, so KaTeX is
never requested. Used by ``blitar-sim viz`` and by the browser tests.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

APP = Path(__file__).with_name("app.py")
LOOPBACK = "127.0.0.1"

OFFLINE_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    # keep the asset proxy on: the page then asks this server (/_solara/cdn/...), which
    # serves the files from the solara-assets package; with it off the page uses the CDN
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_ASSETS_FONTAWESOME_ENABLED": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
    "SOLARA_THEME_TITLE": "Simulasi Industri Kota Blitar",
    # Solara warns on every page load that SameSite=None cookies need https; on loopback
    # the lax fallback is right (the app module filters it too, once it is imported)
    "PYTHONWARNINGS": "ignore:Cookies with samesite=none require https",
}


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def command(host: str, port: int, production: bool = True) -> list[str]:
    cmd = [sys.executable, "-m", "solara", "run", str(APP), "--host", host, "--port", str(port),
           "--no-open", "--log-level", "warning",
           "--no-check-version"]  # else solara asks pypi.org for its latest version
    return cmd + (["--production"] if production else [])


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, **OFFLINE_ENV, **(extra or {})}


def start(host: str = LOOPBACK, port: int | None = None, log: Path | None = None,
          env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start the server in the background; returns (process, URL). Call :func:`wait_ready`.

    Server output goes to ``log`` if given (the server then runs in its own process
    group, stopped with its ensemble workers by :func:`stop`), else to this terminal.
    ``env``: extra environment variables (tests point proxies at a trap)."""
    port = port or free_port(host)
    if log is None:
        proc = subprocess.Popen(command(host, port), env=environment(env))
    else:
        with open(log, "wb") as out:
            proc = subprocess.Popen(command(host, port), env=environment(env), stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        proc.blitar_group = True  # type: ignore[attr-defined]
    return proc, f"http://{host}:{port}/"


def wait_ready(proc: subprocess.Popen, url: str, timeout: float = 60.0) -> None:
    """Wait until the server answers, or raise RuntimeError (process exited / timed out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"solara exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"solara did not answer at {url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a server started by :func:`start` (terminate, then kill); a server in its own
    process group is stopped with its group (the ensemble worker processes)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
    if getattr(proc, "blitar_group", False):  # ensemble workers left in its group
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
