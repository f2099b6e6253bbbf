"""Run folders: safe names, atomic directories and files, stale-temp cleanup, manifests.

The one place where outputs are put on disk. Runs (``blitar-sim run``), sweeps, the
analysis, published entries and figures all write through it, and the browser view's
download builds its manifest with :func:`build_manifest`.

* **Names are never paths.** :func:`slug` turns any text (a scenario name, say) into a
  file-name-safe word; :func:`check_name` refuses a user-chosen name that is not one.
* **Unique names.** :func:`unique_name` = prefix + UTC time to the microsecond + 6 random
  hex digits, so two runs started in the same second never share a folder.
* **Atomic directories.** :func:`atomic_dir` yields a temporary sibling
  ``.<name>.<pid>.<token>.partial``; the folder appears under its final name (one
  ``rename``) only when the block completes, else the temporary folder is removed. Files
  go through :func:`atomic_write_bytes` (``.<name>.<pid>.<token>.tmp`` + ``os.replace``).
* **Stale temporaries.** A temporary name carries the PID of its writer. A temporary whose
  writer is gone (no such process, or a newer process that reused the PID) is stale:
  :func:`clean_stale` removes it; readers never look at dot-names.

API for other modules: ``slug``, ``check_name``, ``unique_name``, ``atomic_dir``,
``atomic_write_bytes``/``_text``/``_json``, ``clean_stale``, ``prepare_output``,
``provenance_fields``, ``build_manifest``, ``write_manifest``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import psutil

from simulation import paramsets
from simulation.config import Config
from simulation.model.indicators import COLUMNS
from simulation.results import provenance
from simulation.scenarios import ConfigError

MANIFEST_VERSION = 3  # 3: "kind"; built by rundir.build_manifest
MAX_NAME = 64
TEMP_SUFFIXES = (".partial", ".tmp", ".old")
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_TEMP = re.compile(r"^\..*\.(?P<pid>\d+)\.[0-9a-f]+\.(partial|tmp|old)$")


class NameError_(ConfigError):  # noqa: N801 - not the builtin NameError
    """A user-chosen name that would not be a plain file name (exit status 2)."""


# --- names ----------------------------------------------------------------------------------
def slug(text: str, max_len: int = MAX_NAME) -> str:
    """``text`` as a plain file name: letters, digits, '_', '-', '.' (others -> '_'), not
    starting with '.', at most ``max_len`` characters (a long name keeps a hash of the
    whole so that different long names stay different). Never empty."""
    word = re.sub(r"[^A-Za-z0-9_.-]", "_", str(text)).lstrip("._-") or "run"
    if len(word) > max_len:
        digest = hashlib.sha256(str(text).encode("utf-8", "replace")).hexdigest()[:8]
        word = f"{word[:max_len - 9]}_{digest}"
    return word


def check_name(text: Any, what: str) -> str:
    """``text`` if it is a plain name (see :func:`slug`), else :class:`NameError_`."""
    if not isinstance(text, str) or not _SAFE.fullmatch(text) or len(text) > MAX_NAME:
        raise NameError_(f"{what} {str(text)[:80]!r}: use 1-{MAX_NAME} letters, digits, '_', "
                         f"'-' or '.' (not starting with '.'); a name is not a path")
    return text


def unique_name(prefix: str) -> str:
    """``<slug(prefix)>_<UTC time with microseconds>_<6 hex>``: unique per call."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S_%f")
    return f"{slug(prefix)}_{stamp}_{secrets.token_hex(3)}"


def default_run_folder(cfg: Config, root: Path = Path("results/runs")) -> Path:
    """A new folder name under ``root`` for a run of ``cfg`` (never an existing one)."""
    s = cfg.scenario
    return root / unique_name(f"{slug(s.name, 40)}_seed{s.seed}_scale{s.scale}")


# --- temporaries ----------------------------------------------------------------------------
def _temp_name(final: Path, suffix: str) -> Path:
    return final.parent / f".{final.name[:100]}.{os.getpid()}.{secrets.token_hex(4)}{suffix}"


def is_temp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIXES)


def _owner_alive(path: Path) -> bool:
    """Whether the process that made temporary ``path`` still runs (PID in the name, and
    that process started before the temporary was made, i.e. the PID was not reused)."""
    m = _TEMP.match(path.name)
    if m is None:
        return False  # not one of ours (or an old-style name): nobody owns it
    pid = int(m["pid"])
    if pid == os.getpid():
        return True
    try:
        started = psutil.Process(pid).create_time()
        made = path.lstat().st_mtime
    except (psutil.Error, OSError):
        return False
    return started <= made + 1.0


def clean_stale(folder: Path, recursive: bool = False) -> list[Path]:
    """Remove temporaries (``.*.partial``, ``.*.tmp``, ``.*.old``) in ``folder`` whose writer
    has gone; returns what was removed. Temporaries of live writers are left alone."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = folder.rglob(".*") if recursive else folder.glob(".*")
    removed = []
    for path in list(found):
        if not is_temp(path) or _owner_alive(path):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def prepare_output(folder: Path) -> None:
    """Fail early, before any work, if ``folder`` cannot be created: make its parent and
    check that it is writable (OSError naming the path otherwise); clean stale
    temporaries there."""
    parent = Path(folder).parent
    for above in (parent, *parent.parents):  # a file in the way: name it
        if above.exists() or above.is_symlink():
            if not above.is_dir():
                raise NotADirectoryError(20, "is a file, not a folder: the output cannot go "
                                             "below it", str(above))
            break
    parent.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(prefix=f".probe.{os.getpid()}.", suffix=".tmp", dir=parent)
    os.close(fd)
    os.unlink(probe)
    clean_stale(parent)


def check_replaceable(final: Path, replace: bool = False,
                      owned: frozenset[str] | None = None) -> None:
    """Refuse (FileExistsError) an existing ``final`` unless ``replace``, and then only a
    folder holding nothing but the file names ``owned`` (when given): a folder of the
    user's is never swapped out."""
    final = Path(final)
    if not final.exists() and not final.is_symlink():
        return
    if not replace:
        raise FileExistsError(17, "already exists; choose a new folder", str(final))
    if not final.is_dir() or final.is_symlink():
        raise FileExistsError(17, "exists and is not a folder", str(final))
    if owned is not None:
        foreign = sorted(p.name for p in final.iterdir() if p.name not in owned)
        if foreign:
            raise FileExistsError(17, f"exists and holds files that are not ours "
                                      f"({', '.join(foreign[:5])}); choose another folder",
                                  str(final))


@contextmanager
def atomic_dir(final: Path, replace: bool = False,
               owned: frozenset[str] | None = None) -> Iterator[Path]:
    """Yield a new temporary folder; on success it becomes ``final`` in one rename.

    ``final`` must not exist unless ``replace`` (then the old folder, which may hold only
    the file names ``owned`` if given, is swapped out and removed). On any exception,
    KeyboardInterrupt included, nothing is left behind."""
    final = Path(final)
    check_replaceable(final, replace, owned)
    prepare_output(final)
    tmp = _temp_name(final, ".partial")
    tmp.mkdir()
    try:
        yield tmp
        if final.exists():
            check_replaceable(final, replace, owned)
            old = _temp_name(final, ".old")
            os.replace(final, old)
            os.replace(tmp, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (temporary sibling, then ``os.replace``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(path, ".tmp")
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode())


def atomic_write_json(path: Path, obj: Any, indent: int = 2) -> None:
    atomic_write_bytes(path, (json.dumps(obj, indent=indent, default=str) + "\n").encode())


# --- manifests ------------------------------------------------------------------------------
def _cpu_features() -> list[str]:
    """CPU features numpy dispatches on (they can change the last bits of some results)."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:  # private numpy API; absent in some builds
        return []
    return sorted(name for name, on in __cpu_features__.items() if on)


def provenance_fields(cfg: Config) -> dict[str, Any]:
    """What every manifest (run, study, browser download) records about the code: model
    and parameter-set version, the config's differences from that set, package versions,
    git commit and platform."""
    return {**paramsets.manifest_fields(cfg),
            "versions": provenance.package_versions(),
            "git": provenance.git_state(),
            "platform": {**provenance.platform_info(), "cpu_features": _cpu_features()}}


def build_manifest(cfg: Config, *, kind: str = "run", timeseries: pd.DataFrame | None = None,
                   maps: Mapping[str, np.ndarray] | None = None,
                   tables: Mapping[str, pd.DataFrame] | None = None, city: Any = None,
                   timing: Mapping[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """The manifest of one simulation: scenario, seed, scale, provenance, resolved config,
    map (``city``: a loaded map with ``path``, ``name``, ``illustrative``), timing, units
    and digests of the tables given (``timeseries``, ``maps`` and other named ``tables``,
    e.g. ``{"kelurahan": df}``). ``kind`` says who made it ("run", "browser", ...);
    ``extra`` fields are added at the end (e.g. ``forum_log``)."""
    out: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION, "kind": kind,
        "scenario": cfg.scenario.name, "seed": cfg.scenario.seed, "scale": cfg.scenario.scale,
        **paramsets.manifest_fields(cfg), "config": cfg.model_dump(mode="json")}
    if city is not None:
        path = Path(city.path)
        out["map"] = {"path": str(path), "name": city.name, "illustrative": city.illustrative,
                      "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    prov = provenance_fields(cfg)
    out.update(versions=prov["versions"], git=prov["git"], platform=prov["platform"])
    if timing is not None:
        out["timing"] = dict(timing)
    out["units"] = COLUMNS
    digests = {}
    if timeseries is not None:
        digests["timeseries"] = provenance.table_digest(timeseries)
    if maps is not None:
        digests["maps"] = provenance.array_digest(dict(maps))
    for name, table in (tables or {}).items():
        digests[name] = provenance.table_digest(table)
    if digests:
        out["digests"] = digests
    out.update(extra)
    return out


def write_manifest(folder: Path, manifest: Mapping[str, Any]) -> Path:
    path = Path(folder) / "manifest.json"
    atomic_write_json(path, manifest)
    return path
