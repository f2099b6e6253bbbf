"""``blitar-sim viz``: the policymakers' scenario explorer in the browser (Solara)."""

from __future__ import annotations

import argparse
import signal

from simulation.scenarios import ConfigError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "viz", help="start the browser scenario explorer on this computer",
        description="Start the bilingual (Bahasa Indonesia / English) scenario explorer and "
                    "print its URL. It is served offline on the loopback address: open the "
                    "URL in a browser on this computer. Stop it with Ctrl+C.")
    p.add_argument("--port", type=int, default=8765,
                   help="TCP port (default: %(default)s; 0 picks a free port)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: %(default)s, this computer only)")
    p.set_defaults(handler=_viz)


def _viz(args: argparse.Namespace) -> int:
    from simulation.viz import server

    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port {args.port}: must be 0-65535")
    port = args.port or server.free_port(args.host)
    proc, url = server.start(args.host, port)  # server output to this terminal
    try:
        server.wait_ready(proc, url, timeout=120)
    except RuntimeError as exc:
        server.stop(proc)
        print(f"blitar-sim viz: error: {exc}")
        return 1
    print(f"Scenario explorer running at {url}  (Ctrl+C to stop)", flush=True)

    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)  # stop the server with us
    try:
        return proc.wait()
    except KeyboardInterrupt:
        server.stop(proc)
        return 0
    finally:
        if proc.poll() is None:
            server.stop(proc)
