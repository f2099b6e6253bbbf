"""``blitar-sim scenarios``: the named scenarios and the question each answers."""

from __future__ import annotations

import argparse
import tomllib

from simulation.scenarios import available_scenarios, scenario_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scenarios", help="list the named scenarios with their descriptions")
    p.set_defaults(handler=_list)


def _list(args: argparse.Namespace) -> int:
    for name in available_scenarios():
        with scenario_path(name).open("rb") as fh:
            desc = tomllib.load(fh).get("scenario", {}).get("description", "")
        print(f"{name}\n    {' '.join(desc.split())}\n")
    return 0
