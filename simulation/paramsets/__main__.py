"""``python -m simulation.paramsets --write vN --description "what changed"``: store the
current defaults as a new parameter set (or, without --write, check and list the sets)."""

from __future__ import annotations

import argparse
import sys

from simulation.paramsets import (
    PARAMSET_VERSION,
    ParamsetError,
    current_defaults,
    known_versions,
    load_paramset,
    write_paramset,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulation.paramsets",
                                     description="List, check or write parameter sets.")
    parser.add_argument("--write", metavar="VERSION",
                        help="store the current resolved defaults as a new version")
    parser.add_argument("--description", default="", help="what changed (for --write)")
    args = parser.parse_args(argv)
    try:
        if args.write:
            print(f"wrote {write_paramset(args.write, args.description)}; now set "
                  f"PARAMSET_VERSION = {args.write!r} and add a CHANGELOG line")
            return 0
        current = load_paramset(PARAMSET_VERSION)["config"] == current_defaults()
    except ParamsetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"known: {', '.join(known_versions())}; code: {PARAMSET_VERSION} "
          f"({'matches' if current else 'DIFFERS FROM'} the current defaults)")
    return 0 if current else 1


if __name__ == "__main__":
    sys.exit(main())
