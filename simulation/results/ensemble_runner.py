"""``blitar-sim run --seeds N``: an ensemble of one scenario, written as one run folder.

The folder (written through :func:`simulation.results.rundir.atomic_dir`: complete or
absent) holds

* ``timeseries.parquet``: every member's monthly indicators, stacked, ``seed`` first;
* ``summary.csv``: per indicator and month, the mean over seeds and the 5-95 % band;
* ``outcomes.csv``: per end-of-run outcome (final-12-month mean; run totals), the mean,
  band and standard deviation over seeds; ``outcomes_by_seed.csv``: each seed's outcomes;
* ``kelurahan.parquet``: every member's per-kelurahan monthly table, stacked;
  ``kelurahan_summary.csv``: per kelurahan and column, the final-12-month mean over seeds
  with its band;
* ``maps.npz``: the end-of-run maps averaged over members, and the land-use grid;
* ``manifest.json``: as a single run's (kind ``ensemble``; ``seed`` is the root seed) plus
  the seed rule, every member's seed and the digests of its tables and maps (what
  ``reproduce`` checks), the executor and the timing;
* ``summary.png`` (panels with bands) and ``maps.png`` (mean maps).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulation.config import Config
from simulation.results import ensemble_tables as tables
from simulation.results import plots, provenance, rundir
from simulation.results.ensemble import SEED_RULE, Ensemble, EnsembleRun, run_ensembles
from simulation.results.registry import timeseries_digest
from simulation.results.runner import npz_bytes, parquet_bytes


def member_digests(ens: Ensemble) -> list[dict[str, Any]]:
    """Per member: its seed and the digests of its monthly table (normalised, as
    :func:`simulation.results.registry.timeseries_digest`), per-kelurahan table and maps."""
    return [{"seed": s, "timeseries": timeseries_digest(m.timeseries),
             "kelurahan": provenance.table_digest(m.kelurahan),
             "maps": provenance.array_digest(m.maps)}
            for s, m in zip(ens.seeds, ens.members, strict=True)]


def ensemble_manifest(ens: Ensemble, run: EnsembleRun, city: Any,
                      **extra: Any) -> dict[str, Any]:
    """The manifest of an ensemble (see the module docstring)."""
    return rundir.build_manifest(
        ens.config, kind="ensemble", timeseries=ens.timeseries(), maps=ens.mean_maps(),
        tables={"kelurahan": ens.kelurahan()}, city=city, timing=run.timing,
        seed_rule=SEED_RULE, seeds=ens.seeds, members=member_digests(ens),
        executor=run.executor, **extra)


def default_folder(cfg: Config, n_seeds: int, root: Path = Path("results/runs")) -> Path:
    s = cfg.scenario
    return root / rundir.unique_name(f"{rundir.slug(s.name, 40)}_{n_seeds}seeds_from{s.seed}"
                                     f"_scale{s.scale}")


def title_of(manifest: dict[str, Any]) -> str:
    return (f"Kota Blitar - scenario '{manifest['scenario']}', {len(manifest['seeds'])} seeds "
            f"from root seed {manifest['seed']}, scale 1:{manifest['scale']}")


def write_folder(ens: Ensemble, manifest: dict[str, Any], folder: Path, city: Any) -> Path:
    """Write the run folder of ``ens`` atomically (``folder`` must not exist yet)."""
    stacked = ens.timeseries()
    by_seed = tables.outcomes_by_seed(stacked)
    kel = ens.kelurahan()
    maps = ens.mean_maps()
    with rundir.atomic_dir(folder) as tmp:
        rundir.atomic_write_bytes(tmp / "timeseries.parquet", parquet_bytes(stacked))
        rundir.atomic_write_bytes(tmp / "kelurahan.parquet", parquet_bytes(kel))
        write_csv(tmp / "summary.csv", tables.monthly_summary(stacked))
        write_csv(tmp / "outcomes.csv", tables.outcome_summary(by_seed))
        write_csv(tmp / "outcomes_by_seed.csv", by_seed)
        write_csv(tmp / "kelurahan_summary.csv",
                  tables.kelurahan_summary(tables.kelurahan_by_seed(kel)))
        rundir.atomic_write_bytes(tmp / "maps.npz", npz_bytes({"landuse": city.landuse,
                                                               **maps}))
        title = title_of(manifest)
        plots.band_figure(stacked, title, tmp / "summary.png")
        plots.maps_figure(maps, city.landuse, city.river_cells,
                          f"{title} - end of run, mean over seeds", tmp / "maps.png",
                          city=city)
        rundir.write_manifest(tmp, manifest)
    return folder


def write_csv(path: Path, df: Any) -> None:
    rundir.atomic_write_text(path, df.to_csv(index=False, lineterminator="\n"))


def run_ensemble_to_folder(cfg: Config, n_seeds: int, folder: Path | None = None, *,
                           workers: int = 1, scheduler: str | None = None,
                           progress: bool = False) -> tuple[Path, Ensemble, dict[str, Any]]:
    """Run ``cfg`` on ``n_seeds`` member seeds and write the run folder; checks the map
    and that the folder can be written before running."""
    from simulation.environment.geography import load_map
    from simulation.scenarios import resolve_map_path

    city = load_map(resolve_map_path(cfg.scenario.map))  # fail fast on a bad map
    folder = Path(folder) if folder is not None else default_folder(cfg, n_seeds)
    if folder.exists():
        raise FileExistsError(17, "already exists; choose a new folder", str(folder))
    rundir.prepare_output(folder)
    run = run_ensembles([cfg], n_seeds, workers=workers, scheduler=scheduler,
                        progress=progress, label=cfg.scenario.name)
    ens = run.arms[0]
    manifest = ensemble_manifest(ens, run, city)
    write_folder(ens, manifest, folder, city)
    return folder, ens, manifest
