"""``blitar-sim reproduce``: re-run a published entry (or a recorded run) and compare."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from simulation.commands import finite_float, int_in
from simulation.scenarios import ConfigError

EPILOG = """\
exit status:
  0  reproduced exactly (identical digests of the monthly table and the maps)
  1  differs, but every difference is within the tolerance |new - ref| <= atol + rtol x |ref|
  2  bad input: unknown entry, manifest missing or wrong-typed fields, unknown parameter-set
     version, or stored files that are malformed or do not match the entry's reference.json
     (nothing is written)
  3  differs beyond the tolerance
  7  recorded with another blitar-sim version: the commands that rebuild that version
     (git worktree at the recorded commit + venv + requirements-lock.txt) are printed;
     --rebuild runs them and returns the rebuilt version's exit status
  (other codes: see blitar-sim --help)

An ensemble (a published entry or a 'run --seeds' folder) re-runs every member (or the
members given with --members) and checks each exactly: its monthly table, per-kelurahan
table and maps; with every member re-run, the stored summaries are recomputed too.

examples:
  blitar-sim reproduce baseline                       # every member, on all local cores
  blitar-sim reproduce baseline --members 0 --workers 1   # the first member only
  blitar-sim reproduce results/runs/blitar_seed20250101_scale1_20261128T120000/manifest.json
  blitar-sim reproduce --list
  blitar-sim reproduce baseline --rebuild     # an entry made by another model version
  blitar-sim reproduce --publish baseline --scenario baseline --seeds 10
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "reproduce", help="re-run a published run and check the numbers",
        description="Re-run a published entry (results/published/<ENTRY>) or a recorded run "
                    "(a run folder or its manifest.json) with its recorded config and seed, "
                    "and compare with the stored results. Warns (stderr) when installed "
                    "package versions differ from the recorded ones.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("entry", nargs="?", help="entry name, run folder or manifest.json path")
    p.add_argument("--rtol", type=finite_float(0), default=None,
                   help="relative tolerance (default: 1e-9, last-digit differences only)")
    p.add_argument("--atol", type=finite_float(0), default=None,
                   help="absolute tolerance (default 1e-12)")
    p.add_argument("--rebuild", action="store_true",
                   help="if the entry was recorded with another blitar-sim version, rebuild "
                        "that version from its git commit and lock file in a temporary "
                        "environment and reproduce there (needs git and the package index)")
    p.add_argument("--members", type=member_list, metavar="I,J,...",
                   help="ensemble: re-run only these members (0-based, comma-separated; "
                        "default: all)")
    p.add_argument("--workers", type=int_in(1, 4096), default=None,
                   help="ensemble: local worker processes (default: CPU count)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="ensemble: run the members on a Dask cluster, e.g. tcp://HOST:8786")
    p.add_argument("--list", action="store_true", help="list the published entries")
    p.add_argument("--registry", type=Path,
                   help="registry folder (default: results/published of this repository)")
    pub = p.add_argument_group("publishing (maintainers)")
    pub.add_argument("--publish", metavar="NAME",
                     help="run a scenario and store it as published entry NAME")
    pub.add_argument("--scenario", default="baseline", help="scenario to publish "
                     "(default: %(default)s)")
    pub.add_argument("--set", dest="overrides", action="append", default=[],
                     metavar="KEY=VALUE", help="config override for --publish (repeatable)")
    pub.add_argument("--seeds", type=int_in(1, 1000), metavar="N",
                     help="publish an ensemble of N seeds derived from the scenario's seed "
                          "(default: one run)")
    pub.add_argument("--description", default="", help="what the entry is for (--publish)")
    pub.add_argument("--force", action="store_true",
                     help="replace an existing entry (--publish); add a CHANGELOG line")
    p.set_defaults(handler=_reproduce)


def _reproduce(args: argparse.Namespace) -> int:
    from simulation.results import reproduce as rp
    from simulation.results.errors import OtherModelVersion
    from simulation.results.publish import publish

    if args.list:
        return _list(args.registry)
    if args.publish:
        if args.entry:
            raise ConfigError("give either ENTRY (to reproduce) or --publish NAME, not both")
        folder = publish(args.publish, args.scenario, args.overrides, args.description,
                         args.force, args.registry, seeds=args.seeds,
                         workers=_workers(args, args.seeds or 1), scheduler=args.scheduler)
        print(f"published {folder}; check it with: blitar-sim reproduce {args.publish}")
        return 0
    if not args.entry:
        raise ConfigError(f"reproduce: give an ENTRY ({', '.join(rp.list_entries(args.registry))}"
                          f") or a manifest path; see blitar-sim reproduce --help")
    rtol = rp.DEFAULT_RTOL if args.rtol is None else args.rtol
    atol = rp.DEFAULT_ATOL if args.atol is None else args.atol
    try:
        outcome = rp.reproduce(args.entry, rtol, atol, args.registry, members=args.members,
                               workers=_workers(args, len(args.members or []) or 1000),
                               scheduler=args.scheduler)
    except OtherModelVersion as exc:
        if not args.rebuild:
            raise
        print(f"blitar-sim: {exc.args[0].split(';')[0]}; rebuilding it", file=sys.stderr)
        return exc.plan.run()
    for line in outcome.warnings:
        print(f"blitar-sim: warning: {line}", file=sys.stderr)
    print("\n".join(outcome.lines))
    return outcome.status


def member_list(text: str) -> list[int]:
    """argparse type: "0,3,5" -> [0, 3, 5] (member indices, 0 or more)."""
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give member numbers such as 0,3,5") \
            from None
    if not values or any(v < 0 for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: give member numbers >= 0, e.g. 0,3,5")
    return sorted(set(values))


def _workers(args: argparse.Namespace, at_most: int) -> int:
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    return max(1, min(workers, at_most))


def _list(root: Path | None) -> int:
    from simulation.results import readers, registry

    root = root or registry.registry_dir()
    for name in registry.list_entries(root):
        m = readers.read_json_object(root / name / "manifest.json", "run manifest")
        seeds = f"{len(m['seeds'])} seeds" if isinstance(m.get("seeds"), list) else "1 seed"
        print(f"{name:16s} scenario {m.get('scenario')!s:14s} scale {m.get('scale')!s:3s} "
              f"{seeds:9s} parameter set {m.get('paramset_version')}  blitar-sim "
              f"{m.get('model_version')}")
    return 0
