"""``blitar-sim figures ENTRY|RUN_FOLDER``: draw a stored run's figures from its files."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "figures", help="draw a published entry's or a run folder's figures",
        description="Draw summary.png (monthly indicators) and maps.png (end-of-run maps) "
                    "from the stored files of a published entry (results/published/ENTRY) "
                    "or a run folder, without re-running. The files are checked against "
                    "their digests first.")
    p.add_argument("target", metavar="ENTRY|RUN_FOLDER",
                   help="published entry name, entry folder or run folder")
    p.add_argument("--out", type=Path,
                   help="output folder (default: results/figures/NAME; replaced as a whole)")
    p.add_argument("--registry", type=Path,
                   help="registry folder (default: results/published of this repository)")
    p.set_defaults(handler=_figures)


def _figures(args: argparse.Namespace) -> int:
    from simulation.results.figures import draw

    for path in draw(args.target, args.out, args.registry):
        print(path)
    return 0
