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
    (one run or an ensemble) into ``out`` (default ``results/figures/<name>``, replaced as
    a whole)."""
    from simulation.results.ensemble_runner import title_of

    ref = load_reference(resolve_target(target, root))
    folder = ref.manifest_path.parent
    ensemble = isinstance(ref, EnsembleReference)
    if ref.maps is None or (not ensemble and ref.table is None):
        raise ReproduceError(f"{folder}: no stored tables and maps next to the manifest "
                             "(needs monthly.csv, monthly.csv.gz or timeseries.parquet, and "
                             "maps.npz)")
    landuse, city = _landuse_and_map(folder, ref.manifest)
    m = ref.manifest
    out = Path(out) if out is not None else DEFAULT_ROOT / rundir.slug(folder.name)
    if ensemble:
        title = f"{title_of(m)} ({ref.kind} {folder.name})"
        maps_title = f"{title} - end of run, mean over seeds"
    else:
        title = (f"Kota Blitar - scenario '{m['scenario']}', seed {m['seed']}, scale "
                 f"1:{m['scale']} ({ref.kind} {folder.name})")
        maps_title = f"{title} - end of run"
    with rundir.atomic_dir(out, replace=True, owned=FIGURES) as tmp:
        if ensemble:
            plots.band_figure(ref.stacked(), title, tmp / "summary.png")
        else:
            plots.summary_figure(ref.table, title, tmp / "summary.png")
        plots.maps_figure(ref.maps, landuse, city.river_cells, maps_title, tmp / "maps.png",
                          city=city)
    return [out / "summary.png", out / "maps.png"]


def _landuse_and_map(folder: Path, manifest: dict):
    """The stored land-use grid (maps.npz) and the map the manifest names."""
    from simulation.environment.geography import load_map
    from simulation.scenarios import resolve_map_path

    landuse = readers.read_npz(folder / "maps.npz").get("landuse")
    if landuse is None:
        raise ReproduceError(f"{folder / 'maps.npz'}: has no land-use grid ('landuse')")
    scenario = manifest["config"].get("scenario", {})
    return landuse, load_map(resolve_map_path(str(scenario.get("map", ""))))
