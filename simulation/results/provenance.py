"""Provenance for results: package versions, git state, platform and table digests."""

from __future__ import annotations

import hashlib
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

PACKAGES = ("blitar-sim", "mesa", "numpy", "numba", "pandas", "pyarrow", "pydantic",
            "matplotlib", "scipy")


def package_versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_state(root: Path | None = None) -> dict[str, str | bool | None]:
    """Commit of the working tree and whether its code had uncommitted changes (changes
    under results/ do not count); None outside git."""
    cwd = root or Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True,
                                text=True, check=True, timeout=10).stdout.strip()
        # uncommitted changes to tracked files, outside results/ (outputs are not code)
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no",
                                     "--", ".", ":(exclude)results"],
                                    cwd=cwd, capture_output=True, text=True, check=True,
                                    timeout=10).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def platform_info() -> dict[str, str]:
    return {"system": platform.system(), "machine": platform.machine(),
            "python_implementation": platform.python_implementation()}


def table_digest(df: pd.DataFrame) -> str:
    """SHA-256 over column names, dtypes and values: equal tables, equal digests,
    whatever the file format or writer version."""
    h = hashlib.sha256()
    for name in df.columns:
        col = df[name]
        h.update(name.encode())
        h.update(str(col.dtype).encode())
        values = col.to_numpy()
        if values.dtype.kind == "M":
            values = values.astype("datetime64[ns]").view(np.int64)
        if values.dtype.kind == "O":  # e.g. kelurahan names: their text, not object pointers
            h.update("\x1f".join(map(str, values)).encode())
            continue
        h.update(np.ascontiguousarray(values).tobytes())
    return h.hexdigest()


def array_digest(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for name in sorted(arrays):
        h.update(name.encode())
        h.update(np.ascontiguousarray(arrays[name]).tobytes())
    return h.hexdigest()
