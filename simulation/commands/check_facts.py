"""``blitar-sim check-facts``: do the brief's stylized facts hold? (paired arms, CIs)."""

from __future__ import annotations

import argparse
from pathlib import Path

from tqdm import tqdm

OUTPUTS = frozenset({"facts.csv", "facts.md"})  # an --out folder holding others is refused


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check-facts", help="run paired policy arms and report the stylized facts",
        description="Runs each stylized fact of the design brief (section 7) as paired policy "
                    "arms on common seeds and reports the effect, its 95 %% interval and "
                    "whether the fact holds under a rule fixed in simulation/results/facts.py. "
                    "Writes facts.csv and facts.md.")
    p.add_argument("--seeds", type=int, default=5, help="paired seeds per arm (default 5)")
    p.add_argument("--scale", type=int, default=1,
                   help="households per agent (default 1, full scale: at scale 10 "
                        "unemployment, firm counts and the Gini differ, README 'Scale')")
    p.add_argument("--end-year", type=int, default=2040, help="horizon end (default 2040)")
    p.add_argument("--workers", type=int, default=2,
                   help="parallel runs on this machine (default 2; results do not depend on it)")
    p.add_argument("--out", type=Path, default=Path("results/facts"), help="output folder")
    p.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from simulation.results import rundir
    from simulation.results.facts import count_runs, run_facts
    from simulation.scenarios import ConfigError

    if args.seeds < 2:
        raise ConfigError(f"--seeds {args.seeds}: need at least 2 seeds for an interval")
    rundir.check_replaceable(args.out, replace=True, owned=OUTPUTS)
    rundir.prepare_output(args.out)  # an unusable --out fails now, not after the runs
    with tqdm(total=count_runs(args.seeds), desc="facts", unit="run") as bar:
        table = run_facts(args.seeds, args.scale, args.end_year,
                          progress=lambda _label: bar.update(1), workers=args.workers)
    shown = table[["fact", "kind", "holds", "effect", "ci_low", "ci_high", "measured", "rule"]]
    with rundir.atomic_dir(args.out, replace=True, owned=OUTPUTS) as tmp:
        rundir.atomic_write_text(tmp / "facts.csv", table.to_csv(index=False))
        rundir.atomic_write_text(tmp / "facts.md", (
            f"# Stylized facts ({args.seeds} paired seeds, scale 1:{args.scale}, "
            f"2025-{args.end_year - 1})\n\n" + shown.to_markdown(index=False, floatfmt=".4g")
            + "\n"))
    for row in table.itertuples():
        print(f"[{'HOLDS' if row.holds else 'DOES NOT HOLD'}] {row.fact}: {row.measured}")
    print(f"{int(table['holds'].sum())}/{len(table)} facts hold; wrote {args.out}/facts.md")
    return 0
