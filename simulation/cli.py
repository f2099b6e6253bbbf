"""The ``blitar-sim`` command line.

Sub-commands live in :mod:`simulation.commands` (one module each, found by listing the
package). Bad input (unknown scenario or key, value out of range, bad map or study file)
prints a message naming the key and the allowed values and exits with status 2, writing
nothing.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from simulation import commands
from simulation.environment.geography import MapError
from simulation.scenarios import ConfigError

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blitar-sim",
        description="Agent-based simulation of industrial growth scenarios for Kota Blitar.")
    sub = parser.add_subparsers(dest="command", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (ConfigError, MapError) as exc:
        print(f"blitar-sim: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
