"""The blitar-sim command line, end to end on a short, scaled run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from simulation.cli import main
from simulation.model.indicators import COLUMNS

SHORT = ["--scale", "50", "--set", "scenario.end_year=2026", "--no-progress"]


def test_run_writes_a_complete_run_folder(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", *SHORT, "--out", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == ["kelurahan.parquet", "manifest.json", "maps.npz", "maps.png",
                     "summary.png", "timeseries.parquet"]
    df = pd.read_parquet(out / "timeseries.parquet")
    assert list(df.columns) == ["date", *COLUMNS] and len(df) == 12
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 20250101 and manifest["scale"] == 50
    assert manifest["config"]["scenario"]["end_year"] == 2026
    assert manifest["versions"]["mesa"].startswith("3.")
    assert {"commit", "dirty"} <= set(manifest["git"])
    assert manifest["timing"]["months"] == 12
    assert manifest["units"]["grdp"].startswith("Rp billion")
    assert "run folder:" in capsys.readouterr().out
    # the same command again reproduces the same numbers
    again = tmp_path / "again"
    assert main(["run", *SHORT, "--out", str(again)]) == 0
    second = json.loads((again / "manifest.json").read_text())
    assert second["digests"] == manifest["digests"]


@pytest.mark.parametrize(("args", "message"), [
    (["--set", "policy.emission_charge=-1"], "allowed range >= 0.0"),
    (["--set", "policy.emision_charge=1"], "unknown key"),
    (["--scenario", "atlantis"], "unknown scenario 'atlantis'"),
    (["--scale", "0"], "scenario.scale"),
    (["--set", "scenario.map=/nonexistent/map.toml"], "map"),
])
def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "run"
    assert main(["run", *SHORT, *args, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_existing_out_folder_is_refused(tmp_path, capsys):
    assert main(["run", *SHORT, "--out", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_installed_command_help_documents_options():
    env = dict(os.environ)
    result = subprocess.run([sys.executable, "-m", "simulation.cli", "run", "--help"],
                            capture_output=True, text=True, env=env, check=True)
    for option in ("--scenario", "--set", "--seed", "--scale", "--out", "--no-progress"):
        assert option in result.stdout


def test_library_code_never_imports_the_command_line():
    """Only the CLI imports the commands; nothing imports simulation.cli."""
    import ast
    from pathlib import Path

    pkg = Path(__file__).resolve().parents[1] / "simulation"
    offenders = []
    for path in pkg.rglob("*.py"):
        rel = path.relative_to(pkg).as_posix()
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                if name == "simulation.cli" or (name.startswith("simulation.commands")
                                                and not rel.startswith(("commands/", "cli.py"))):
                    offenders.append(f"{rel}: {name}")
    assert offenders == []


def test_help_documents_the_exit_statuses(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for code in ("2    bad input", "4    permission", "5    no space", "6    the Dask",
                 "7    reproduce", "70   internal", "130", "143"):
        assert code in out
