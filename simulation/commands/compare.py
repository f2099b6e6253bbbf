"""``blitar-sim compare A B --seeds N``: paired differences of two scenarios on common seeds."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from simulation.commands import int_in
from simulation.scenarios import ConfigError

EPILOG = """\
A and B are scenario names (see 'blitar-sim scenarios') or TOML files; they may be the
same scenario with other settings:
  --set KEY=VALUE     applies to both A and B (e.g. --set scenario.scale=10)
  --set-a KEY=VALUE   applies to A only;  --set-b KEY=VALUE  to B only (applied after --set)
Both run on the same N seeds derived from the root seed (--seed, default A's
scenario.seed): member i uses SeedSequence(seed).spawn(N)[i], as sweep replications.
Differences are B - A (the mean of per-seed differences, with a 95 % t-interval); an
outcome is "distinguishable from noise" when its interval excludes 0.

examples:
  blitar-sim compare baseline green_package --seeds 10
  blitar-sim compare blitar blitar --set-b policy.emission_charge=5000 --seeds 20
  blitar-sim compare baseline big_plant --seeds 10 --set scenario.scale=10 --workers 2

writes results/compare/<B>_vs_<A>_<time>_<id>/: differences.csv and .md (every outcome),
kelurahan_differences.csv (every kelurahan and column), monthly_differences.csv,
outcomes_by_seed.csv, kelurahan_by_seed.csv, timeseries.parquet (both arms, every seed),
differences.png, difference_panels.png, manifest.json.
Exit status: see 'blitar-sim --help'.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare", help="compare two scenarios on common seeds (paired differences)",
        description="Run scenarios A and B on the same N seeds and report, for every "
                    "end-of-run outcome and every kelurahan, the paired difference B - A "
                    "with its 95 % interval and whether it is distinguishable from noise.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a", metavar="A", help="reference scenario: name or TOML file")
    p.add_argument("b", metavar="B", help="compared scenario: name or TOML file")
    p.add_argument("--seeds", type=int_in(2, 1000), default=10, metavar="N",
                   help="common seeds (default: %(default)s; at least 2 for an interval)")
    p.add_argument("--set", dest="both", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config value of A and B (repeatable)")
    p.add_argument("--set-a", dest="only_a", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config value of A only (repeatable)")
    p.add_argument("--set-b", dest="only_b", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config value of B only (repeatable)")
    p.add_argument("--seed", type=int, help="root seed of the member seeds (default: A's "
                   "scenario.seed)")
    p.add_argument("--scale", type=int, help="scenario.scale of both (default: each "
                   "scenario's, 1 = full scale)")
    p.add_argument("--workers", type=int_in(1, 4096), default=None,
                   help="local worker processes (default: CPU count; 1 = in this process)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--out", type=Path, help="output folder (default: a new folder under "
                   "results/compare)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(handler=_compare)


def arm(scenario: str, both: list[str], own: list[str], scale: int | None, which: str):
    from simulation.results.paired import Arm
    from simulation.scenarios import load_config

    overrides = [*both, *own, *([f"scenario.scale={scale}"] if scale is not None else [])]
    cfg = load_config(scenario, overrides)
    label = cfg.scenario.name + "".join(f" {o}" for o in own)
    if not label.strip():
        raise ConfigError(f"{which}: scenario without a name")
    return Arm(label, scenario, tuple(overrides), cfg)


def _compare(args: argparse.Namespace) -> int:
    from simulation.results.paired import compare

    a = arm(args.a, args.both, args.only_a, args.scale, "A")
    b = arm(args.b, args.both, args.only_b, args.scale, "B")
    if args.seed is not None and not 0 <= args.seed <= 2**63 - 1:
        raise ConfigError(f"--seed {args.seed}: must be 0-{2**63 - 1}")
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    result = compare(a, b, args.seeds, args.seed, args.out, workers=min(workers, args.seeds),
                     scheduler=args.scheduler, progress=not args.no_progress)
    t = result.manifest["timing"]
    from simulation.results.paired import markdown

    print(markdown(result.differences, a, b, args.seeds, distinguishable_only=True))
    print(f"folder: {result.folder} (every outcome: differences.md; per kelurahan: "
          "kelurahan_differences.csv)")
    print(f"2 arms x {args.seeds} seeds x {a.config.n_steps} months in "
          f"{t['seconds_wall']:.1f} s ({t['seconds_compute']:.1f} s of compute)")
    return 0
