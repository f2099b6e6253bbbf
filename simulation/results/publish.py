"""Publishing runs into the registry (``blitar-sim reproduce --publish NAME``).

An entry holds data only: one run (see :mod:`.registry`) or, with ``seeds``, an ensemble
(see :mod:`.ensemble_reference`). :func:`publish` refuses to replace an existing entry
unless ``force`` is given, and writes it atomically through
:func:`simulation.results.rundir.atomic_dir`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from simulation.model.indicators import COLUMNS
from simulation.results import provenance, rundir
from simulation.results.ensemble_reference import ENSEMBLE_FILES
from simulation.results.registry import (
    ENTRY_FILES,
    REFERENCE,
    ReproduceError,
    file_sha256,
    normalise,
    read_monthly,
    read_reference_file,
    registry_dir,
)
from simulation.results.runner import RunResult, npz_bytes

# what an entry folder may hold when it is replaced (make_figures.py: entries before 0.1.0
# carried a figure script; `blitar-sim figures` draws them now)
REPLACEABLE = frozenset({*ENTRY_FILES, *ENSEMBLE_FILES, REFERENCE, "make_figures.py",
                         "figures"})


def summary_table(df: pd.DataFrame) -> pd.DataFrame:
    """End-of-run summary: one row per indicator with its unit, first and last month's
    value and the first and last year's mean."""
    df = normalise(df)
    years = df["date"].dt.year
    first, last = years == years.min(), years == years.max()
    rows = []
    for name, unit in COLUMNS.items():
        if name == "step":
            continue
        col = df[name]
        rows.append({"indicator": name, "unit": unit, "first_month": col.iloc[0],
                     "last_month": col.iloc[-1], f"mean_{years.min()}": col[first].mean(),
                     f"mean_{years.max()}": col[last].mean()})
    return pd.DataFrame(rows)


def publish(name: str, scenario: str = "baseline", overrides: Iterable[str] = (),
            description: str = "", force: bool = False, root: Path | None = None,
            seeds: int | None = None, workers: int = 1,
            scheduler: str | None = None) -> Path:
    """Run ``scenario`` with ``overrides`` and store it as entry ``name`` in the registry:
    one run with the scenario's seed, or with ``seeds`` an ensemble of that many members
    (run on ``workers`` local processes or the Dask ``scheduler``)."""
    from simulation.environment.geography import load_map
    from simulation.results.runner import simulate
    from simulation.scenarios import load_config, resolve_map_path

    rundir.check_name(name, "entry name")
    root = root or registry_dir()
    folder = root / name
    if folder.exists() and not force:
        raise ReproduceError(f"{folder} already exists; published entries are not replaced "
                             f"unless you pass --force (and add a CHANGELOG line)")
    rundir.check_replaceable(folder, force, REPLACEABLE)
    overrides = list(overrides)
    cfg = load_config(scenario, overrides)
    city = load_map(resolve_map_path(cfg.scenario.map))
    rundir.prepare_output(folder)
    command = " ".join(["blitar-sim reproduce --publish", name, "--scenario", scenario,
                        *([f"--seeds {seeds}"] if seeds is not None else []),
                        *(f"--set {o}" for o in overrides)])
    description = description or cfg.scenario.description
    if seeds is not None:
        return _publish_ensemble(name, cfg, seeds, folder, city, command, description,
                                 force, workers, scheduler)
    result = simulate(cfg)
    with rundir.atomic_dir(folder, replace=force, owned=REPLACEABLE) as tmp:
        write_entry(tmp, result, city.landuse)
        ts = normalise(result.timeseries)
        if provenance.table_digest(read_monthly(tmp / "monthly.csv")) != \
                provenance.table_digest(ts):
            raise RuntimeError("monthly.csv does not round-trip exactly; not published")
        reference = {"entry": name, "description": description,
                     "created": datetime.now(UTC).isoformat(timespec="seconds"),
                     "command": command, "timeseries_digest": provenance.table_digest(ts),
                     "maps_digest": result.manifest["digests"]["maps"],
                     "files": {f: file_sha256(tmp / f) for f in ENTRY_FILES}}
        rundir.atomic_write_json(tmp / REFERENCE, reference)
    return folder


def _publish_ensemble(name: str, cfg, seeds: int, folder: Path, city, command: str,
                      description: str, force: bool, workers: int,
                      scheduler: str | None) -> Path:
    from simulation.results import ensemble_reference as er
    from simulation.results.ensemble import run_ensembles
    from simulation.results.ensemble_runner import ensemble_manifest

    run = run_ensembles([cfg], seeds, workers=workers, scheduler=scheduler, label=name)
    ens = run.arms[0]
    manifest = ensemble_manifest(ens, run, city)
    stacked = er.normalise_stacked(ens.timeseries())
    with rundir.atomic_dir(folder, replace=force, owned=REPLACEABLE) as tmp:
        rundir.atomic_write_json(tmp / "manifest.json", manifest)
        rundir.atomic_write_bytes(tmp / "monthly.csv.gz", er.csv_gz_bytes(stacked))
        rundir.atomic_write_text(tmp / "outcomes.csv", er.outcomes_csv(stacked))
        rundir.atomic_write_text(tmp / "kelurahan_summary.csv", er.kelurahan_csv(ens.kelurahan()))
        rundir.atomic_write_bytes(tmp / "maps.npz", npz_bytes({"landuse": city.landuse,
                                                               **ens.mean_maps()}))
        digest = provenance.table_digest(stacked)
        if provenance.table_digest(er.read_stacked(tmp / "monthly.csv.gz")) != digest:
            raise RuntimeError("monthly.csv.gz does not round-trip exactly; not published")
        reference = {"entry": name, "kind": "ensemble", "description": description,
                     "created": datetime.now(UTC).isoformat(timespec="seconds"),
                     "command": command, "timeseries_digest": digest,
                     "maps_digest": manifest["digests"]["maps"],
                     "files": {f: file_sha256(tmp / f) for f in er.ENSEMBLE_FILES}}
        rundir.atomic_write_json(tmp / REFERENCE, reference)
    return folder


def write_entry(folder: Path, result: RunResult, landuse) -> None:
    """The data files of an entry (everything but ``reference.json``)."""
    rundir.atomic_write_json(folder / "manifest.json", result.manifest)
    rundir.atomic_write_text(folder / "monthly.csv",
                             result.timeseries.to_csv(index=False, lineterminator="\n"))
    rundir.atomic_write_text(folder / "summary.csv", summary_table(
        result.timeseries).to_csv(index=False, lineterminator="\n"))
    rundir.atomic_write_bytes(folder / "maps.npz", npz_bytes({"landuse": landuse,
                                                               **result.maps}))


def seal(folder: Path) -> None:
    """Rewrite ``reference.json`` from the files as they are now (maintainers only:
    after a deliberate, documented change to a stored file)."""
    from simulation.results import ensemble_reference as er

    ref_file = folder / REFERENCE
    ref = read_reference_file(ref_file)
    if ref.get("kind") == "ensemble":
        ref["files"] = {f: file_sha256(folder / f) for f in er.ENSEMBLE_FILES}
        ref["timeseries_digest"] = provenance.table_digest(
            er.read_stacked(folder / "monthly.csv.gz"))
    else:
        ref["files"] = {f: file_sha256(folder / f) for f in ENTRY_FILES}
        ref["timeseries_digest"] = provenance.table_digest(read_monthly(folder / "monthly.csv"))
    rundir.atomic_write_json(ref_file, ref)
