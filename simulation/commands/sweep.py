"""``blitar-sim sweep STUDY``: run a study's design x replications, streaming to disk."""

from __future__ import annotations

import argparse
from pathlib import Path

from simulation.commands import int_in
from simulation.scenarios import ConfigError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep", help="run a study (policy sweep / sensitivity design) with replications",
        description="Run every design point x replication of a study file "
                    "(experiments/studies/STUDY.toml or a path). Each finished run is "
                    "written at once to results/studies/STUDY/ (parquet part files + "
                    "index.jsonl); rerunning resumes, skipping complete runs. Exit status: "
                    "0 all runs complete, 1 some runs failed (see failures/), 2 bad study, "
                    "4/5 cannot write / disk full, 6 Dask cluster lost, 130/143 "
                    "interrupted (completed runs are kept; rerun to resume). Designs are "
                    "limited to 10,000 points and 200,000 runs.",
        epilog="Full size on a cluster, e.g.: blitar-sim sweep policy_mix --set study.scale=1 "
               "--set study.replications=20 --scheduler tcp://HOST:8786. See docs/sweeps.md.")
    p.add_argument("study", help="study name in experiments/studies/ or path to a TOML file")
    p.add_argument("--workers", type=int_in(1, 4096), default=None,
                   help="local worker processes (default: CPU count; 1 = in this process)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask distributed cluster, e.g. tcp://10.0.0.5:8786 "
                        "(unreachable within 10 s: error, exit status 2; lost during the "
                        "sweep, or no worker for 30 s: exit status 6)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override the study file: study.replications=20, study.scale=1, "
                        "levers.policy.emission_charge=[0,5000], outputs.maps=true")
    p.add_argument("--out", type=Path, help="study folder (default: results/studies/STUDY)")
    p.add_argument("--no-retry-failed", action="store_true",
                   help="do not rerun runs that failed in an earlier invocation")
    p.add_argument("--dry-run", action="store_true",
                   help="validate the design and print its size and first points; run "
                        "nothing")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(handler=_sweep)


DRY_RUN_POINTS = 50  # points listed by --dry-run


def _sweep(args: argparse.Namespace) -> int:
    import os

    from simulation.sweep import load_study, run_sweep
    from simulation.sweep.store import StudyLocked

    study = load_study(args.study, args.overrides, expand=not args.dry_run)
    s = study.spec.study
    n_runs = len(study.points) * s.replications
    distinct = len({t.run_id for t in study.tasks})
    shared = f" ({distinct} distinct)" if study.tasks and distinct < n_runs else ""
    print(f"study {study.name}: design {s.design}, {len(study.points)} points x "
          f"{s.replications} replications = {n_runs} runs{shared}; varied: "
          f"{', '.join(study.varied)}")
    if args.dry_run:
        for i, point in enumerate(study.points[:DRY_RUN_POINTS]):
            print(f"  point {i}: {point}")
        if len(study.points) > DRY_RUN_POINTS:
            print(f"  ... and {len(study.points) - DRY_RUN_POINTS} more points")
        return 0
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    try:
        summary = run_sweep(study, args.out, workers=workers, scheduler=args.scheduler,
                            retry_failed=not args.no_retry_failed,
                            progress=not args.no_progress)
    except StudyLocked as exc:
        raise ConfigError(str(exc)) from None
    print(summary.text())
    return 1 if summary.failed else 0
