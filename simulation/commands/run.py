"""``blitar-sim run``: one scenario, end to end, into a run folder; ``--seeds N``: an
ensemble of N seeds (:mod:`simulation.results.ensemble_runner`)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from simulation.commands import int_in
from simulation.scenarios import ConfigError, load_config

MAX_SEEDS = 1000


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser(
        "run", help="run a scenario and write a run folder",
        description="Run a scenario (default: the calibrated 'blitar', 2025-2045, fixed "
                    "seed) and write results/runs/<scenario>_seed<seed>_scale<s>_<time>_<id>/ "
                    "with timeseries.parquet, maps.npz, manifest.json, summary.png, maps.png. "
                    "With --seeds N: an ensemble of N seeds derived from the root seed "
                    "(SeedSequence(seed).spawn(N), as sweep replications), run in parallel, "
                    "written to results/runs/<scenario>_<N>seeds_from<seed>_scale<s>_.../ "
                    "with every seed's series (a 'seed' column), the mean and 5-95 %% band "
                    "per indicator and month (summary.csv), end-of-run outcomes and "
                    "per-kelurahan summaries over seeds, and figures with bands.",
        epilog="Levers and parameters: --set section.key=value, e.g. "
               "--set policy.emission_charge=5000 --set policy.dialogue=on. Units and ranges "
               "are in docs/levers.md; an out-of-range value is an error that states "
               "the allowed range. Exit status: see 'blitar-sim --help'.")
    run.add_argument("--scenario", default="blitar",
                     help="scenario name (see 'blitar-sim scenarios') or path to a TOML file "
                          "(default: %(default)s)")
    run.add_argument("--set", dest="overrides", action="append", default=[],
                     metavar="KEY=VALUE", help="override a config value (repeatable)")
    run.add_argument("--seed", type=int, help="root random seed (default: the scenario's)")
    run.add_argument("--scale", type=int,
                     help="real households per household agent, 1-100 (default: 1, full "
                          "scale; 10 runs ~3x faster, indicators still at city scale)")
    run.add_argument("--seeds", type=int_in(1, MAX_SEEDS), metavar="N",
                     help="run an ensemble of N seeds derived from the root seed (default: "
                          "one run with the root seed itself)")
    run.add_argument("--workers", type=int_in(1, 4096), default=None,
                     help="--seeds: local worker processes (default: CPU count; 1 = in "
                          "this process); results do not depend on it")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="--seeds: run the members on a Dask cluster, e.g. "
                          "tcp://10.0.0.5:8786")
    run.add_argument("--out", type=Path,
                     help="run folder to create (default: a new folder under results/runs)")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    run.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    overrides = list(args.overrides)
    if args.seed is not None:
        overrides.append(f"scenario.seed={args.seed}")
    if args.scale is not None:
        overrides.append(f"scenario.scale={args.scale}")
    cfg = load_config(args.scenario, overrides)
    if args.seeds is not None:
        return _ensemble(cfg, args)
    if args.workers is not None or args.scheduler is not None:
        raise ConfigError("--workers and --scheduler run the members of an ensemble: give "
                          "--seeds N too")
    from simulation.results.runner import run_to_folder  # heavy imports only when running

    result = run_to_folder(cfg, args.out, progress=not args.no_progress)
    last = result.timeseries.iloc[-1]
    t = result.manifest["timing"]
    print(f"run folder: {result.folder}")
    print(f"{cfg.n_steps} months in {t['seconds_total']:.1f} s; at {last['date']:%Y-%m}: "
          f"GRDP Rp {last['grdp']:.0f} bn/month, unemployment "
          f"{100 * last['unemployment_rate']:.1f} %, river BOD "
          f"{last['river_concentration_downstream']:.1f} mg/L, mean health "
          f"{last['mean_health']:.3f}")
    return 0


def _ensemble(cfg, args: argparse.Namespace) -> int:
    from simulation.results.ensemble_runner import run_ensemble_to_folder

    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    folder, ens, manifest = run_ensemble_to_folder(
        cfg, args.seeds, args.out, workers=min(workers, args.seeds), scheduler=args.scheduler,
        progress=not args.no_progress)
    t = manifest["timing"]
    print(f"run folder: {folder}")
    print(f"{args.seeds} seeds x {cfg.n_steps} months in {t['seconds_wall']:.1f} s "
          f"({t['seconds_compute']:.1f} s of compute on {manifest['executor']['kind']}, "
          f"{manifest['executor']['workers']} worker(s))")
    from simulation.results import ensemble_tables as tables

    summary = tables.outcome_summary(tables.outcomes_by_seed(ens.timeseries()))
    rows = summary.set_index("outcome")
    for name, scale_, unit in (("grdp", 1, "Rp bn/month"), ("unemployment_rate", 100, "%"),
                               ("river_concentration_downstream", 1, "mg/L"),
                               ("mean_health", 1, "")):
        r = rows.loc[name]
        print(f"  {name} (final year): {scale_ * r['mean']:.3g} {unit} "
              f"[5-95 %: {scale_ * r['p05']:.3g} - {scale_ * r['p95']:.3g}]")
    return 0
