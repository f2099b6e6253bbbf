"""Figures of a stored run, drawn from its files (no re-run): ``blitar-sim figures``.

Works on a published entry (``monthly.csv``, ``maps.npz``, ``manifest.json``) and on a run
folder (``timeseries.parquet`` instead of the CSV), and on ensembles of either kind (the
panels show every member, the mean and the 5-95 % band over seeds; the maps are the mean
over members), with the plotting code of
``blitar-sim run`` (:mod:`simulation.results.plots`). The stored files are checked against
their digests first (:func:`simulation.results.registry.load_reference`), so a figure
never shows tampered numbers.
"""

from __future__ import annotations

from pathlib import Path

from simulation.results import plots, readers, rundir
from simulation.results.ensemble_reference import EnsembleReference
from simulation.results.registry import ReproduceError, load_reference, resolve_target

FIGURES = frozenset({"summary.png", "maps.png"})
DEFAULT_ROOT = Path("results/figures")


def draw(target: str | Path, out: Path | None = None, root: Path | None = None) -> list[Path]:
    """Draw ``summary.png`` and ``maps.png`` of an entry (name or folder) or a run folder
    into ``out`` (default ``results/figures/<name>``, replaced as a whole)."""
    from simulation.environment.geography import load_map
    from simulation.scenarios import resolve_map_path

    ref = load_reference(resolve_target(target, root))
    folder = ref.manifest_path.parent
    if isinstance(ref, EnsembleReference):
        return _draw_ensemble(ref, out)
    if ref.table is None or ref.maps is None:
        raise ReproduceError(f"{folder}: no stored tables and maps next to the manifest "
                             "(needs monthly.csv or timeseries.parquet, and maps.npz)")
    landuse = readers.read_npz(folder / "maps.npz").get("landuse")
    if landuse is None:
        raise ReproduceError(f"{folder / 'maps.npz'}: has no land-use grid ('landuse')")
    m = ref.manifest
    city = load_map(resolve_map_path(str(m["config"].get("scenario", {}).get("map", ""))))
    out = Path(out) if out is not None else DEFAULT_ROOT / rundir.slug(folder.name)
    title = (f"Kota Blitar - scenario '{m['scenario']}', seed {m['seed']}, scale "
             f"1:{m['scale']} ({ref.kind} {folder.name})")
    with rundir.atomic_dir(out, replace=True, owned=FIGURES) as tmp:
        plots.summary_figure(ref.table, title, tmp / "summary.png")
        plots.maps_figure(ref.maps, landuse, city.river_cells, title + " - end of run",
                          tmp / "maps.png", city=city)
    return [out / "summary.png", out / "maps.png"]


def _draw_ensemble(ref: EnsembleReference, out: Path | None) -> list[Path]:
    from simulation.environment.geography import load_map
    from simulation.results.ensemble_runner import title_of
    from simulation.scenarios import resolve_map_path

    folder = ref.folder
    if ref.maps is None:
        raise ReproduceError(f"{folder}: no maps.npz next to the ensemble manifest")
    landuse = readers.read_npz(folder / "maps.npz").get("landuse")
    if landuse is None:
        raise ReproduceError(f"{folder / 'maps.npz'}: has no land-use grid ('landuse')")
    m = ref.manifest
    city = load_map(resolve_map_path(str(m["config"].get("scenario", {}).get("map", ""))))
    out = Path(out) if out is not None else DEFAULT_ROOT / rundir.slug(folder.name)
    title = f"{title_of(m)} ({ref.kind} {folder.name})"
    with rundir.atomic_dir(out, replace=True, owned=FIGURES) as tmp:
        plots.band_figure(ref.stacked(), title, tmp / "summary.png")
        plots.maps_figure(ref.maps, landuse, city.river_cells,
                          f"{title} - end of run, mean over seeds", tmp / "maps.png", city=city)
    return [out / "summary.png", out / "maps.png"]
