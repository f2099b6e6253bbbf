"""``blitar-sim viz``: the policymakers' scenario explorer in the browser (Solara)."""

from __future__ import annotations

import argparse
import ipaddress
import signal
import socket

from simulation.scenarios import ConfigError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "viz", help="start the browser scenario explorer on this computer",
        description="Start the scenario explorer (Bahasa Indonesia, with English) and print "
                    "its URL. It is served offline on the loopback address: open the URL in a "
                    "browser on this computer. Stop it with Ctrl+C. Comparisons use seed "
                    "ensembles computed in the background (BLITAR_VIZ_SEEDS seeds, default 8).")
    p.add_argument("--port", type=int, default=8765,
                   help="TCP port (default: %(default)s; 0 picks a free port)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: %(default)s, this computer only)")
    p.set_defaults(handler=_viz)


def check_address(host: str, port: int) -> None:
    """Fail early, in one line, on a port out of range, a host that does not resolve or
    an address this computer cannot listen on (ConfigError, exit status 2)."""
    if not 0 <= port <= 65535:
        raise ConfigError(f"--port {port}: must be 0-65535")
    # an IP address (or "localhost"), never a name to look up: no DNS query leaves the machine
    literal = "127.0.0.1" if host == "localhost" else host
    try:
        ip = ipaddress.ip_address(literal)
    except ValueError:
        raise ConfigError(f"--host {host!r}: must be an IP address of this computer, e.g. "
                          f"127.0.0.1 (this computer only) or 0.0.0.0 (all interfaces)") from None
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((literal, port))
    except OSError as exc:
        raise ConfigError(f"--host {host} --port {port}: cannot listen there "
                          f"({exc.strerror or exc})") from None


def _viz(args: argparse.Namespace) -> int:
    from simulation.viz import server

    check_address(args.host, args.port)
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
