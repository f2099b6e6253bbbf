"""Run a scenario end to end and write its run folder.

A run folder holds ``timeseries.parquet`` (the monthly indicators), ``kelurahan.parquet``
(monthly results per kelurahan, :mod:`simulation.model.kelurahan`), ``maps.npz`` (end-of-
run maps), ``manifest.json`` (resolved config, seed, versions, git commit, timing, units,
digests) and two figures. The folder is written under a temporary name and renamed when
complete, so an interrupted run never leaves a half-written result.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from simulation import paramsets
from simulation.config import Config
from simulation.environment.geography import CityMap
from simulation.model import BlitarModel
from simulation.model.indicators import COLUMNS
from simulation.results import plots, provenance

MANIFEST_VERSION = 2  # 2: model_version, paramset_version, paramset_diff, map sha256


def _cpu_features() -> list[str]:
    """CPU features numpy dispatches on (they can change the last bits of some results)."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:  # private numpy API; absent in some builds
        return []
    return sorted(name for name, on in __cpu_features__.items() if on)


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "scenario": cfg.scenario.name,
        "seed": cfg.scenario.seed,
        "scale": cfg.scenario.scale,
        **paramsets.manifest_fields(cfg),
        "config": cfg.model_dump(mode="json"),
        "map": {"path": str(model.city.path), "name": model.city.name,
                "illustrative": model.city.illustrative,
                "sha256": _file_sha256(Path(model.city.path))},
        "versions": provenance.package_versions(),
        "git": provenance.git_state(),
        "platform": {**provenance.platform_info(), "cpu_features": _cpu_features()},
        "timing": {"started": started.isoformat(), "finished": datetime.now(UTC).isoformat(),
                   "seconds_total": round(seconds, 3), "seconds_setup": round(t_init, 3),
                   "months": cfg.n_steps},
        "units": COLUMNS,
        "digests": {"timeseries": provenance.table_digest(df),
                    "maps": provenance.array_digest(maps),
                    "kelurahan": provenance.table_digest(kel)},
        "forum_log": model.regulator.forum_log,
    }
    return RunResult(df, maps, manifest, kelurahan=kel)


def default_run_folder(cfg: Config, root: Path = Path("results/runs")) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return root / f"{cfg.scenario.name}_seed{cfg.scenario.seed}_scale{cfg.scenario.scale}_{stamp}"


def write_run_folder(result: RunResult, folder: Path, landuse: np.ndarray,
                     river_cells: np.ndarray, city: CityMap | None = None) -> Path:
    """Write everything into ``folder`` atomically (temporary sibling, then rename)."""
    if folder.exists():
        raise FileExistsError(f"run folder already exists: {folder}")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".{folder.name}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        result.timeseries.to_parquet(tmp / "timeseries.parquet", index=False)
        np.savez_compressed(tmp / "maps.npz", landuse=landuse, **result.maps)
        if result.kelurahan is not None:
            result.kelurahan.to_parquet(tmp / "kelurahan.parquet", index=False)
        title = (f"Kota Blitar - scenario '{result.manifest['scenario']}', seed "
                 f"{result.manifest['seed']}, scale 1:{result.manifest['scale']}")
        plots.summary_figure(result.timeseries, title, tmp / "summary.png")
        plots.maps_figure(result.maps, landuse, river_cells, title + " - end of run",
                          tmp / "maps.png", city=city)
        (tmp / "manifest.json").write_text(json.dumps(result.manifest, indent=2))
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.folder = folder
    return folder


def run_to_folder(cfg: Config, folder: Path | None = None, progress: bool = False) -> RunResult:
    """Simulate and write the run folder; the main job of ``blitar-sim run``."""
    from simulation.environment.geography import load_map
    from simulation.scenarios import resolve_map_path

    city = load_map(resolve_map_path(cfg.scenario.map))  # fail fast on a bad map
    result = simulate(cfg, progress=progress)
    write_run_folder(result, folder or default_run_folder(cfg), city.landuse, city.river_cells,
                     city=city)
    return result
