"""Run a scenario end to end and write its run folder.

A run folder holds ``timeseries.parquet`` (the monthly indicators), ``kelurahan.parquet``
(monthly results per kelurahan, :mod:`simulation.model.kelurahan`), ``maps.npz`` (end-of-
run maps), ``manifest.json`` (resolved config, seed, versions, git commit, timing, units,
digests) and two figures. It is written through :func:`simulation.results.rundir.atomic_dir`
(a temporary sibling, renamed when complete), so an interrupted run never leaves a
half-written result, and its default name is unique (see :func:`rundir.default_run_folder`).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from simulation.config import Config
from simulation.environment.geography import CityMap
from simulation.model import BlitarModel
from simulation.results import plots, rundir


@dataclass
class RunResult:
    timeseries: pd.DataFrame
    maps: dict[str, np.ndarray]
    manifest: dict
    folder: Path | None = None
    kelurahan: pd.DataFrame | None = None  # per-kelurahan monthly table (kelurahan.parquet)


def simulate(cfg: Config, progress: bool = False) -> RunResult:
    """Run the model for the whole horizon; returns tables and a manifest (no files)."""
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    model = BlitarModel(cfg)
    t_init = time.perf_counter() - t0
    with tqdm(total=cfg.n_steps, desc=f"{cfg.scenario.name} (scale {cfg.scenario.scale})",
              unit="month", disable=not progress, leave=False) as bar:
        model.run(progress=bar.update)
    seconds = time.perf_counter() - t0
    df = model.timeseries()
    maps = model.maps()
    kel = model.kelurahan_recorder.frame(cfg.scenario.start_year)
    timing = {"started": started.isoformat(), "finished": datetime.now(UTC).isoformat(),
              "seconds_total": round(seconds, 3), "seconds_setup": round(t_init, 3),
              "months": cfg.n_steps}
    manifest = rundir.build_manifest(cfg, kind="run", timeseries=df, maps=maps,
                                     tables={"kelurahan": kel}, city=model.city,
                                     timing=timing, forum_log=model.regulator.forum_log)
    return RunResult(df, maps, manifest, kelurahan=kel)


def parquet_bytes(df: pd.DataFrame) -> bytes:
    sink = io.BytesIO()
    df.to_parquet(sink, index=False)
    return sink.getvalue()


def npz_bytes(arrays: dict[str, np.ndarray], compressed: bool = True) -> bytes:
    sink = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(sink, **arrays)
    return sink.getvalue()


def write_run_folder(result: RunResult, folder: Path, landuse: np.ndarray,
                     river_cells: np.ndarray, city: CityMap | None = None) -> Path:
    """Write everything into ``folder`` atomically (it must not exist yet)."""
    with rundir.atomic_dir(folder) as tmp:
        rundir.atomic_write_bytes(tmp / "timeseries.parquet", parquet_bytes(result.timeseries))
        rundir.atomic_write_bytes(tmp / "maps.npz",
                                  npz_bytes({"landuse": landuse, **result.maps}))
        if result.kelurahan is not None:
            rundir.atomic_write_bytes(tmp / "kelurahan.parquet", parquet_bytes(result.kelurahan))
        m = result.manifest
        title = (f"Kota Blitar - scenario '{m['scenario']}', seed {m['seed']}, "
                 f"scale 1:{m['scale']}")
        plots.summary_figure(result.timeseries, title, tmp / "summary.png")
        plots.maps_figure(result.maps, landuse, river_cells, title + " - end of run",
                          tmp / "maps.png", city=city)
        rundir.write_manifest(tmp, m)
    result.folder = folder
    return folder


def run_to_folder(cfg: Config, folder: Path | None = None, progress: bool = False) -> RunResult:
    """Simulate and write the run folder; the main job of ``blitar-sim run``. Checks the
    map and that the folder can be written before simulating."""
    from simulation.environment.geography import load_map
    from simulation.scenarios import resolve_map_path

    city = load_map(resolve_map_path(cfg.scenario.map))  # fail fast on a bad map
    folder = Path(folder) if folder is not None else rundir.default_run_folder(cfg)
    if folder.exists():
        raise FileExistsError(17, "already exists; choose a new folder", str(folder))
    rundir.prepare_output(folder)
    result = simulate(cfg, progress=progress)
    write_run_folder(result, folder, city.landuse, city.river_cells, city=city)
    return result
