"""The registry of published runs (``results/published/``) and reading recorded runs.

A published entry ``results/published/<name>/`` is one run or an ensemble of runs on
several seeds (:mod:`.ensemble_reference` describes and checks those). One run holds data
only:

* ``manifest.json``: the run's manifest (resolved config, seed, model and parameter-set
  version, git commit, package versions, platform, timing, digests);
* ``monthly.csv``: the monthly indicator table (all columns, one row per month);
* ``summary.csv``: an end-of-run summary (per indicator: first and last month, first and
  last year's mean);
* ``maps.npz``: the end-of-run maps and the land-use grid;
* ``reference.json``: SHA-256 of every stored file (tamper check) and the digests of the
  stored tables (``timeseries_digest``: :func:`table_digest` of the monthly table with its
  date column as datetime64[ns], so the digest does not depend on the pandas version's
  date resolution; ``maps_digest``).

``blitar-sim figures ENTRY`` draws its figures from these files (:mod:`.figures`).
:func:`load_reference` reads an entry, a run folder or a bare manifest and checks every
stored file against its digests; anything missing, malformed or tampered with is a
:class:`ReproduceError` (bad input, exit status 2).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from simulation.results import provenance, readers
from simulation.scenarios import ConfigError

REQUIRED_FIELDS = ("manifest_version", "scenario", "seed", "scale", "model_version",
                   "paramset_version", "paramset_diff", "config", "versions", "digests")
ENTRY_FILES = ("manifest.json", "monthly.csv", "summary.csv", "maps.npz")
REFERENCE = "reference.json"


class ReproduceError(ConfigError):
    """Bad input to reproduce, publish or figures (exit status 2); nothing is written."""


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
    df = readers.read_csv(path, **CSV_READ_OPTIONS)
    try:
        return normalise(df)
    except (KeyError, ValueError, TypeError) as exc:
        raise ReproduceError(f"{path}: not a monthly indicator table ({exc})") from None


def file_sha256(path: Path) -> str:
    """SHA-256 of a file; text files with their line endings normalised to \\n (so a
    Windows checkout with CRLF conversion still matches)."""
    data = path.read_bytes()
    if path.suffix in {".csv", ".json", ".py"}:
        data = data.replace(b"\r\n", b"\n")
    return hashlib.sha256(data).hexdigest()


# --- finding entries ------------------------------------------------------------------------
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


# --- manifests ------------------------------------------------------------------------------
class _Digests(BaseModel):
    model_config = ConfigDict(extra="allow")
    timeseries: str
    maps: str | None = None


class _Git(BaseModel):
    model_config = ConfigDict(extra="allow")
    commit: str | None = None
    dirty: bool | None = None


class _Manifest(BaseModel):
    """The fields reproduce reads, with their types (others are kept as they are)."""

    model_config = ConfigDict(extra="allow", strict=True)
    manifest_version: int
    scenario: str
    seed: int
    scale: int
    model_version: str
    paramset_version: str
    paramset_diff: dict[str, Any]
    config: dict[str, Any]
    versions: dict[str, str]
    digests: _Digests
    platform: dict[str, Any] = {}
    git: _Git = _Git()


def read_manifest(path: Path) -> dict[str, Any]:
    """A manifest with every field reproduce needs, of the right type, or ReproduceError
    naming what is missing or wrong."""
    manifest = readers.read_json_object(path, "run manifest")
    missing = [k for k in REQUIRED_FIELDS if k not in manifest]
    if missing:
        raise ReproduceError(f"{path}: manifest is missing field(s) {', '.join(missing)} "
                             f"(written by an older blitar-sim, or edited?); cannot reproduce")
    try:
        _Manifest.model_validate(manifest)
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5]]
        raise ReproduceError(f"{path}: manifest field(s) of the wrong type: "
                             f"{'; '.join(problems)}") from None
    return manifest


# --- stored references ----------------------------------------------------------------------
@dataclass
class Reference:
    """What a re-run is compared with: the manifest and, where stored, its tables."""

    manifest_path: Path
    manifest: dict[str, Any]
    timeseries_digest: str | None      # normalised digest of the stored table
    table: pd.DataFrame | None
    maps: dict[str, np.ndarray] | None
    kind: str                          # "published entry", "run folder", "manifest only"


def load_maps(path: Path) -> dict[str, np.ndarray]:
    """The end-of-run maps of a stored ``maps.npz`` (without the land-use grid)."""
    maps = readers.read_npz(path)
    maps.pop("landuse", None)
    return maps


def load_reference(manifest_path: Path) -> Reference | Any:
    """Read the manifest and the stored tables next to it, checking their integrity; an
    ensemble (manifest kind "ensemble") gives an
    :class:`~simulation.results.ensemble_reference.EnsembleReference`."""
    manifest = read_manifest(manifest_path)
    if manifest.get("kind") == "ensemble":  # several seeds: .ensemble_reference
        from simulation.results.ensemble_reference import load_ensemble
        return load_ensemble(manifest_path, manifest)
    folder = manifest_path.parent
    ref_file = folder / REFERENCE
    if ref_file.is_file():
        return _load_entry(manifest_path, manifest, ref_file)
    ts, maps = folder / "timeseries.parquet", folder / "maps.npz"
    if not ts.is_file():
        return Reference(manifest_path, manifest, None, None, None, "manifest only")
    table = readers.read_parquet(ts)
    if provenance.table_digest(table) != manifest["digests"]["timeseries"]:
        raise ReproduceError(f"{ts}: its digest differs from the manifest's "
                             f"digests.timeseries: the stored table was modified (tampered?)")
    stored_maps = load_maps(maps) if maps.is_file() else None
    if stored_maps is not None and provenance.array_digest(stored_maps) != manifest[
            "digests"].get("maps"):
        raise ReproduceError(f"{maps}: its digest differs from the manifest's digests.maps "
                             f"(tampered?)")
    return Reference(manifest_path, manifest, timeseries_digest(table), normalise(table),
                     stored_maps, "run folder")


def read_reference_file(ref_file: Path) -> dict[str, Any]:
    ref = readers.read_json_object(ref_file, "reference file")
    if not isinstance(ref.get("files"), dict) or not isinstance(ref.get("timeseries_digest"),
                                                                str):
        raise ReproduceError(f"{ref_file}: not a valid reference file (needs 'files' and "
                             "'timeseries_digest')")
    return ref


def check_files(folder: Path, files: dict[str, str], names: tuple[str, ...]) -> None:
    """Every file of ``names`` in ``folder`` is present with the SHA-256 that
    ``reference.json`` recorded (``files``); otherwise one error listing every problem."""
    problems = []
    for name in names:
        path = folder / name
        if name not in files:
            problems.append(f"{name}: no digest in {REFERENCE}")
        elif not path.is_file():
            problems.append(f"{name}: missing")
        elif file_sha256(path) != files[name]:
            problems.append(f"{name}: SHA-256 differs from {REFERENCE}")
    if problems:
        raise ReproduceError(f"{folder}: stored reference does not match {REFERENCE} "
                             f"(tampered with or damaged; restore it from git):\n  "
                             + "\n  ".join(problems))


def _load_entry(manifest_path: Path, manifest: dict[str, Any], ref_file: Path) -> Reference:
    folder = manifest_path.parent
    ref = read_reference_file(ref_file)
    files, digest = ref["files"], ref["timeseries_digest"]
    check_files(folder, files, ENTRY_FILES)
    table = read_monthly(folder / "monthly.csv")
    if provenance.table_digest(table) != digest:
        raise ReproduceError(f"{folder / 'monthly.csv'}: table digest differs from "
                             f"{REFERENCE} timeseries_digest (tampered?)")
    maps = load_maps(folder / "maps.npz")
    if provenance.array_digest(maps) != manifest["digests"].get("maps"):
        raise ReproduceError(f"{folder / 'maps.npz'}: digest differs from the manifest's "
                             f"digests.maps (tampered?)")
    return Reference(manifest_path, manifest, digest, table, maps, "published entry")
