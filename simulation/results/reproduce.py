"""Reproduce published runs: the registry in ``results/published/``, re-runs and comparison.

A published entry ``results/published/<name>/`` holds

* ``manifest.json``: the run's manifest (resolved config, seed, model and parameter-set
  version, git commit, package versions, platform, timing, digests);
* ``monthly.csv``: the monthly indicator table (all columns, one row per month);
* ``summary.csv``: an end-of-run summary (per indicator: first and last month, first and
  last year's mean);
* ``maps.npz``: the end-of-run maps (and the land-use grid) used by the maps figure;
* ``make_figures.py``: regenerates the entry's figures from those files;
* ``reference.json``: SHA-256 of every stored file (tamper check) and the digests of the
  stored tables (``timeseries_digest``: :func:`table_digest` of the monthly table with its
  date column as datetime64[ns], so the digest does not depend on the pandas version's
  date resolution; ``maps_digest``).

:func:`reproduce` rebuilds the config from the manifest (see
:func:`simulation.paramsets.rebuild_config`), re-runs it and compares digests: equal ->
"reproduced exactly" (exit 0); otherwise a table of the indicators that differ, with the
largest absolute and relative differences and whether they are within the tolerance
``|new - ref| <= atol + rtol * |ref|`` (exit 1 if all are, 3 if not). Bad input (unknown
entry, manifest missing fields, unknown parameter-set version, stored files that do not
match ``reference.json``) is a :class:`ReproduceError` (exit 2); reproducing writes nothing.

:func:`publish` (``blitar-sim reproduce --publish NAME``) creates an entry; it refuses to
replace an existing one unless ``force`` is given, and writes atomically.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation import paramsets
from simulation.model.indicators import COLUMNS
from simulation.results import provenance
from simulation.scenarios import ConfigError

EXIT_EXACT, EXIT_WITHIN_TOLERANCE, EXIT_BAD_INPUT, EXIT_DIFFERS = 0, 1, 2, 3
DEFAULT_RTOL = 1e-9   # "numerically identical": last-digit differences only
DEFAULT_ATOL = 1e-12
REQUIRED_FIELDS = ("manifest_version", "scenario", "seed", "scale", "model_version",
                   "paramset_version", "paramset_diff", "config", "versions", "digests")
COMPARED_PACKAGES = ("python", "mesa", "numpy", "numba", "pandas", "pyarrow", "scipy")
ENTRY_FILES = ("manifest.json", "monthly.csv", "summary.csv", "maps.npz", "make_figures.py")
REFERENCE = "reference.json"


class ReproduceError(ConfigError):
    """Bad input to reproduce or publish (exit status 2); nothing is written."""


# --- tables ---------------------------------------------------------------------------------
def normalise(df: pd.DataFrame) -> pd.DataFrame:
    """The monthly table in a canonical form: ``date`` as datetime64[ns], ``step`` int64,
    every indicator float64 (what a CSV round trip and any pandas version agree on)."""
    out = df.copy()
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
    for name in out.columns:
        if name != "date":
            out[name] = out[name].astype(np.int64 if name == "step" else np.float64)
    return out


def timeseries_digest(df: pd.DataFrame) -> str:
    return provenance.table_digest(normalise(df))


# pandas < 3 needs the round-trip float parser to read back exactly what it wrote;
# pandas 3 parses exactly by default (and deprecates the option).
CSV_READ_OPTIONS: dict[str, Any] = (
    {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"})


def read_monthly(path: Path) -> pd.DataFrame:
    """A stored monthly table, read back exactly and normalised."""
    return normalise(pd.read_csv(path, **CSV_READ_OPTIONS))


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


def _text_sha256(path: Path) -> str:
    """SHA-256 of a file; text files with their line endings normalised to \\n (so a
    Windows checkout with CRLF conversion still matches)."""
    data = path.read_bytes()
    if path.suffix in {".csv", ".json", ".py"}:
        data = data.replace(b"\r\n", b"\n")
    return hashlib.sha256(data).hexdigest()


# --- registry -------------------------------------------------------------------------------
def registry_dir() -> Path:
    """``results/published`` of the source tree this package sits in, else of the
    working directory."""
    repo = Path(__file__).resolve().parents[2] / "results" / "published"
    return repo if repo.is_dir() else Path("results/published")


def list_entries(root: Path | None = None) -> list[str]:
    root = root or registry_dir()
    return sorted(p.parent.name for p in root.glob(f"*/{REFERENCE}")) if root.is_dir() else []


def resolve_target(target: str | Path, root: Path | None = None) -> Path:
    """The manifest file for an entry name, a run or entry folder, or a manifest path."""
    p = Path(target)
    if p.is_dir():
        p = p / "manifest.json"
    if p.is_file():
        return p
    root = root or registry_dir()
    if "/" not in str(target) and (root / str(target) / "manifest.json").is_file():
        return root / str(target) / "manifest.json"
    entries = list_entries(root)
    raise ReproduceError(f"{target}: neither a published entry nor a manifest file; "
                         f"entries in {root}: {', '.join(entries) or 'none'}")


def read_manifest(path: Path) -> dict[str, Any]:
    """A manifest with every field reproduce needs, or ReproduceError naming the missing."""
    try:
        manifest = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReproduceError(f"{path}: cannot read the manifest: {exc}") from None
    if not isinstance(manifest, dict):
        raise ReproduceError(f"{path}: a manifest must be a JSON object")
    missing = [k for k in REQUIRED_FIELDS if k not in manifest]
    if not isinstance(manifest.get("digests"), dict) or "timeseries" not in manifest.get(
            "digests", {}):
        missing.append("digests.timeseries")
    if missing:
        raise ReproduceError(f"{path}: manifest is missing field(s) {', '.join(missing)} "
                             f"(written by an older blitar-sim, or edited?); cannot reproduce")
    if not isinstance(manifest["config"], dict) or not isinstance(manifest["paramset_diff"],
                                                                   dict):
        raise ReproduceError(f"{path}: manifest fields 'config' and 'paramset_diff' must be "
                             f"JSON objects")
    return manifest


@dataclass
class Reference:
    """What a re-run is compared with: the manifest and, where stored, its tables."""

    manifest_path: Path
    manifest: dict[str, Any]
    timeseries_digest: str | None      # normalised digest of the stored table
    table: pd.DataFrame | None
    maps: dict[str, np.ndarray] | None
    kind: str                          # "published entry", "run folder", "manifest only"


def _load_maps(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as npz:
        maps = {k: npz[k] for k in npz.files}
    maps.pop("landuse", None)
    return maps


def load_reference(manifest_path: Path) -> Reference:
    """Read the manifest and the stored tables next to it, checking their integrity."""
    manifest = read_manifest(manifest_path)
    folder = manifest_path.parent
    ref_file = folder / REFERENCE
    if ref_file.is_file():
        return _load_entry(manifest_path, manifest, ref_file)
    ts, maps = folder / "timeseries.parquet", folder / "maps.npz"
    if not ts.is_file():
        return Reference(manifest_path, manifest, None, None, None, "manifest only")
    table = pd.read_parquet(ts)
    if provenance.table_digest(table) != manifest["digests"]["timeseries"]:
        raise ReproduceError(f"{ts}: its digest differs from the manifest's "
                             f"digests.timeseries: the stored table was modified (tampered?)")
    stored_maps = _load_maps(maps) if maps.is_file() else None
    if stored_maps is not None and provenance.array_digest(stored_maps) != manifest[
            "digests"].get("maps"):
        raise ReproduceError(f"{maps}: its digest differs from the manifest's digests.maps "
                             f"(tampered?)")
    return Reference(manifest_path, manifest, timeseries_digest(table), normalise(table),
                     stored_maps, "run folder")


def _load_entry(manifest_path: Path, manifest: dict[str, Any], ref_file: Path) -> Reference:
    folder = manifest_path.parent
    try:
        ref = json.loads(ref_file.read_text())
        files, digest = ref["files"], ref["timeseries_digest"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ReproduceError(f"{ref_file}: not a valid reference file ({exc})") from None
    problems = []
    for name in ENTRY_FILES:
        path = folder / name
        if name not in files:
            problems.append(f"{name}: no digest in {REFERENCE}")
        elif not path.is_file():
            problems.append(f"{name}: missing")
        elif _text_sha256(path) != files[name]:
            problems.append(f"{name}: SHA-256 differs from {REFERENCE}")
    if problems:
        raise ReproduceError(f"{folder}: stored reference does not match {REFERENCE} "
                             f"(tampered with or damaged; restore it from git):\n  "
                             + "\n  ".join(problems))
    table = read_monthly(folder / "monthly.csv")
    if provenance.table_digest(table) != digest:
        raise ReproduceError(f"{folder / 'monthly.csv'}: table digest differs from "
                             f"{REFERENCE} timeseries_digest (tampered?)")
    maps = _load_maps(folder / "maps.npz")
    if provenance.array_digest(maps) != manifest["digests"].get("maps"):
        raise ReproduceError(f"{folder / 'maps.npz'}: digest differs from the manifest's "
                             f"digests.maps (tampered?)")
    return Reference(manifest_path, manifest, digest, table, maps, "published entry")


# --- comparison -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnDiff:
    name: str
    max_abs: float
    max_rel: float
    n_differ: int
    within: bool


def compare_tables(ref: pd.DataFrame, new: pd.DataFrame, rtol: float,
                   atol: float) -> list[ColumnDiff]:
    """Per column of ``ref`` that differs in ``new`` (same shape assumed)."""
    out = []
    for name in ref.columns:
        a = ref[name].to_numpy()
        b = new[name].to_numpy()
        if a.dtype.kind == "M":
            a, b = a.view(np.int64).astype(float), b.view(np.int64).astype(float)
        a, b = a.astype(float), b.astype(float)
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        if same.all():
            continue
        diff = np.where(same, 0.0, np.abs(b - a))
        diff = np.where(np.isnan(diff), np.inf, diff)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(same, 0.0, diff / np.abs(a))
        rel = np.where(np.isnan(rel), np.inf, rel)
        within = bool(np.all(diff <= atol + rtol * np.abs(np.nan_to_num(a))))
        out.append(ColumnDiff(name, float(diff.max()), float(rel.max()),
                              int((~same).sum()), within))
    return out


def compare_maps(ref: dict[str, np.ndarray], new: dict[str, np.ndarray], rtol: float,
                 atol: float) -> list[ColumnDiff]:
    frames_ref = pd.DataFrame({k: v.ravel() for k, v in ref.items()})
    frames_new = pd.DataFrame({k: new[k].ravel() for k in ref})
    return [ColumnDiff(f"map {d.name}", d.max_abs, d.max_rel, d.n_differ, d.within)
            for d in compare_tables(frames_ref, frames_new, rtol, atol)]


def version_warnings(recorded: dict[str, str]) -> list[str]:
    """One line per package whose installed version differs from the recorded one."""
    installed = provenance.package_versions()
    return [f"{name} {recorded.get(name, '?')} recorded, {installed.get(name, '?')} installed"
            for name in COMPARED_PACKAGES if recorded.get(name) != installed.get(name)]


@dataclass
class Outcome:
    status: int
    lines: list[str]
    warnings: list[str] = field(default_factory=list)
    diffs: list[ColumnDiff] = field(default_factory=list)


def reproduce(target: str | Path, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL,
              root: Path | None = None) -> Outcome:
    """Re-run a published entry or a recorded run and compare (writes nothing)."""
    from simulation.results.runner import simulate  # heavy imports only when running

    ref = load_reference(resolve_target(target, root))
    m = ref.manifest
    cfg, how = paramsets.rebuild_config(m["config"], m["paramset_version"], m["paramset_diff"])
    if (cfg.scenario.seed, cfg.scenario.scale) != (m["seed"], m["scale"]):
        raise ReproduceError(f"{ref.manifest_path}: seed/scale fields ({m['seed']}, "
                             f"{m['scale']}) disagree with its config; manifest edited?")
    warnings = [f"package versions differ from the recorded run: {w}"
                for w in version_warnings(m["versions"])]
    rec_platform = m.get("platform", {})
    now_platform = provenance.platform_info()
    if any(rec_platform.get(k) != v for k, v in now_platform.items()):
        warnings.append(f"platform differs: recorded {rec_platform.get('system')}/"
                        f"{rec_platform.get('machine')}, now {now_platform['system']}/"
                        f"{now_platform['machine']}")
    git = m.get("git", {})
    lines = [f"{ref.kind} {ref.manifest_path.parent.name}: scenario {m['scenario']!r}, seed "
             f"{m['seed']}, scale {m['scale']}, {cfg.n_steps} months, parameter set "
             f"{m['paramset_version']} (config: {how}); recorded with blitar-sim "
             f"{m['model_version']} at commit {str(git.get('commit'))[:12]}"
             f"{' (dirty tree)' if git.get('dirty') else ''}"]
    t0 = time.perf_counter()
    result = simulate(cfg)
    lines.append(f"re-ran in {time.perf_counter() - t0:.1f} s")
    new_ts = normalise(result.timeseries)
    new_digest = provenance.table_digest(new_ts)
    new_maps_digest = provenance.array_digest(result.maps)
    ref_digest = ref.timeseries_digest
    if ref_digest is None:  # manifest only: its raw digest is all we have
        ts_same = provenance.table_digest(result.timeseries) == m["digests"]["timeseries"]
    else:
        ts_same = new_digest == ref_digest
    maps_same = new_maps_digest == m["digests"].get("maps")
    if ts_same and maps_same:
        lines.append(f"reproduced exactly (timeseries digest {new_digest[:16]}..., maps "
                     f"digest {new_maps_digest[:16]}...)")
        return Outcome(EXIT_EXACT, lines, warnings)
    tol = f"|new - ref| <= {atol:g} + {rtol:g} x |ref|"
    if ref.table is None:
        lines.append("NOT reproduced: digests differ and no stored table sits next to this "
                     "manifest to say by how much")
        return Outcome(EXIT_DIFFERS, lines, warnings)
    if list(ref.table.columns) != list(new_ts.columns) or len(ref.table) != len(new_ts):
        lines.append(f"NOT reproduced: the tables differ in shape (stored {ref.table.shape}, "
                     f"re-run {new_ts.shape}) or columns")
        return Outcome(EXIT_DIFFERS, lines, warnings)
    diffs = compare_tables(ref.table, new_ts, rtol, atol)
    if ref.maps is not None and not maps_same:
        diffs += compare_maps(ref.maps, result.maps, rtol, atol)
    elif not maps_same:
        lines.append("maps digest differs (maps not stored here; cannot say by how much)")
    n_cols = len(ref.table.columns) - 1
    lines.append(f"NOT reproduced exactly: {sum(not d.name.startswith('map ') for d in diffs)}"
                 f" of {n_cols} indicators differ; tolerance: {tol}")
    lines.append(format_diffs(diffs))
    within = all(d.within for d in diffs)
    status = EXIT_WITHIN_TOLERANCE if within else EXIT_DIFFERS
    lines.append("result: all differences within tolerance (exit 1)" if within
                 else "result: differs beyond tolerance (exit 3)")
    return Outcome(status, lines, warnings, diffs)


def format_diffs(diffs: Iterable[ColumnDiff]) -> str:
    from tabulate import tabulate

    rows = [(d.name, f"{d.max_abs:.3g}", f"{d.max_rel:.3g}", d.n_differ,
             "yes" if d.within else "NO") for d in diffs]
    return tabulate(rows, headers=("indicator", "max abs diff", "max rel diff",
                                   "values differing", "within tolerance"))


# --- publishing -----------------------------------------------------------------------------
MAKE_FIGURES = '''"""Regenerate this published entry's figures from its stored tables (no re-run).

    .venv/bin/python results/published/<entry>/make_figures.py [OUT_DIR]

Writes summary.png (monthly indicators, from monthly.csv) and maps.png (end-of-run maps,
from maps.npz) into OUT_DIR (default: figures/ next to this script, git-ignored), with the
plotting code of ``blitar-sim run``. To check the numbers behind them, run
``blitar-sim reproduce <entry>``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.environment.geography import load_map
from simulation.results import plots
from simulation.scenarios import resolve_map_path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE / "figures"
    out.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((HERE / "manifest.json").read_text())
    df = pd.read_csv(HERE / "monthly.csv", parse_dates=["date"])
    with np.load(HERE / "maps.npz") as npz:
        maps = {k: npz[k] for k in npz.files}
    landuse = maps.pop("landuse")
    city = load_map(resolve_map_path(manifest["config"]["scenario"]["map"]))
    title = (f"Kota Blitar - scenario '{manifest['scenario']}', seed {manifest['seed']}, "
             f"scale 1:{manifest['scale']} (published entry {HERE.name})")
    plots.summary_figure(df, title, out / "summary.png")
    plots.maps_figure(maps, landuse, city.river_cells, title + " - end of run",
                      out / "maps.png", city=city)
    print(f"wrote {out / 'summary.png'} and {out / 'maps.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
'''


def publish(name: str, scenario: str = "baseline", overrides: Iterable[str] = (),
            description: str = "", force: bool = False, root: Path | None = None) -> Path:
    """Run ``scenario`` with ``overrides`` and store it as entry ``name`` in the registry."""
    from simulation.environment.geography import load_map
    from simulation.results.runner import simulate
    from simulation.scenarios import load_config, resolve_map_path

    if not name or not name.replace("_", "").replace("-", "").isalnum():
        raise ReproduceError(f"entry name {name!r}: use letters, digits, '_' or '-'")
    root = root or registry_dir()
    folder = root / name
    if folder.exists() and not force:
        raise ReproduceError(f"{folder} already exists; published entries are not replaced "
                             f"unless you pass --force (and add a CHANGELOG line)")
    overrides = list(overrides)
    cfg = load_config(scenario, overrides)
    city = load_map(resolve_map_path(cfg.scenario.map))
    result = simulate(cfg)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{name}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        _write_entry(tmp, result, city.landuse)
        ts = normalise(result.timeseries)
        if provenance.table_digest(read_monthly(tmp / "monthly.csv")) != \
                provenance.table_digest(ts):
            raise RuntimeError("monthly.csv does not round-trip exactly; not published")
        command = " ".join(["blitar-sim reproduce --publish", name, "--scenario", scenario,
                            *(f"--set {o}" for o in overrides)])
        reference = {"entry": name, "description": description or cfg.scenario.description,
                     "created": datetime.now(UTC).isoformat(timespec="seconds"),
                     "command": command, "timeseries_digest": provenance.table_digest(ts),
                     "maps_digest": result.manifest["digests"]["maps"],
                     "files": {f: _text_sha256(tmp / f) for f in ENTRY_FILES}}
        (tmp / REFERENCE).write_text(json.dumps(reference, indent=2) + "\n")
        if folder.exists():
            old = root / f".{name}.old"
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
            tmp.rename(folder)
            shutil.rmtree(old)
        else:
            tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def _write_entry(folder: Path, result: Any, landuse: np.ndarray) -> None:
    manifest = result.manifest
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    result.timeseries.to_csv(folder / "monthly.csv", index=False, lineterminator="\n")
    summary_table(result.timeseries).to_csv(folder / "summary.csv", index=False,
                                            lineterminator="\n")
    np.savez_compressed(folder / "maps.npz", landuse=landuse, **result.maps)
    (folder / "make_figures.py").write_text(MAKE_FIGURES)


def seal(folder: Path) -> None:
    """Rewrite ``reference.json`` from the files as they are now (maintainers only:
    after a deliberate, documented change to a stored file)."""
    ref_file = folder / REFERENCE
    ref = json.loads(ref_file.read_text())
    ref["files"] = {f: _text_sha256(folder / f) for f in ENTRY_FILES}
    ref["timeseries_digest"] = provenance.table_digest(read_monthly(folder / "monthly.csv"))
    ref_file.write_text(json.dumps(ref, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    """``python -m simulation.results.reproduce ...`` = ``blitar-sim reproduce ...``."""
    from simulation.cli import main as cli_main

    return cli_main(["reproduce", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
