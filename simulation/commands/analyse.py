"""``blitar-sim analyse STUDY``: tables and figures from a study's results."""

from __future__ import annotations

import argparse
from pathlib import Path

from simulation.scenarios import ConfigError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "analyse", help="tables and figures from a study's results",
        description="Read results/studies/STUDY (or a study folder) and write CSV tables and "
                    "PNG figures into its analysis/ folder: per-point outcome means with 95 %% "
                    "CIs across seeds, policy response curves, the trade-off with its Pareto "
                    "front, and Sobol/Morris indices for sensitivity designs. The output "
                    "folder is written in full, then swapped in (replacing an earlier "
                    "analysis).")
    p.add_argument("study", help="study name (folder results/studies/STUDY) or a study folder")
    p.add_argument("--out", type=Path, help="output folder (default: STUDY_FOLDER/analysis)")
    p.set_defaults(handler=_analyse)


def study_folder(name_or_path: str) -> Path:
    p = Path(name_or_path)
    if (p / "manifest.json").is_file():
        return p
    if "\0" in name_or_path or ".." in p.parts:
        raise ConfigError(f"{name_or_path[:80]!r}: not a study name or folder")
    candidate = Path("results/studies") / name_or_path
    if (candidate / "manifest.json").is_file():
        return candidate
    raise ConfigError(f"no study results at {p} or {candidate}; run 'blitar-sim sweep "
                      f"{name_or_path}' first")


def _analyse(args: argparse.Namespace) -> int:
    from simulation.sweep.analysis import analyse

    # bad input (no results, no completed runs, corrupt runs, ...) raises AnalysisError,
    # a ConfigError: exit status 2 (see simulation.cli for the other codes)
    for path in analyse(study_folder(args.study), args.out):
        print(path)
    return 0
