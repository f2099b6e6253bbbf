"""Reading stored files defensively: a missing, truncated or malformed file is a
:class:`CorruptFile` (bad input, exit status 2) naming the file and the problem, never a
library traceback. Used by reproduce, figures and the sweep analysis."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.scenarios import ConfigError


class CorruptFile(ConfigError):
    """A stored file that cannot be read as what it should be."""


def _fail(path: Path, what: str, exc: BaseException) -> CorruptFile:
    if isinstance(exc, FileNotFoundError):
        return CorruptFile(f"{path}: missing (expected {what})")
    detail = " ".join(str(exc).split())[:200]
    return CorruptFile(f"{path}: not a readable {what} ({type(exc).__name__}: {detail})")


def read_json(path: Path, what: str = "JSON file") -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _fail(path, what, exc) from None


def read_json_object(path: Path, what: str = "JSON object") -> dict[str, Any]:
    data = read_json(path, what)
    if not isinstance(data, dict):
        raise CorruptFile(f"{path}: not a {what} (a JSON object); got {type(data).__name__}")
    return data


def read_parquet(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    try:
        return pd.read_parquet(path, columns=columns)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds for a bad file
        raise _fail(path, "parquet table", exc) from None


def check_parquet(path: Path) -> str | None:
    """None if ``path`` is a readable parquet file (footer and schema), else the problem."""
    import pyarrow.parquet as pq

    try:
        pq.ParquetFile(path).schema_arrow  # noqa: B018 - reads the footer
    except FileNotFoundError:
        return "missing"
    except Exception as exc:  # noqa: BLE001
        return f"unreadable ({type(exc).__name__})"
    return None


def read_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {k: npz[k] for k in npz.files}
    except Exception as exc:  # noqa: BLE001 - zipfile/numpy raise many kinds
        raise _fail(path, "npz archive of arrays", exc) from None


def read_csv(path: Path, **options: Any) -> pd.DataFrame:
    try:
        return pd.read_csv(path, **options)
    except Exception as exc:  # noqa: BLE001
        raise _fail(path, "CSV table", exc) from None
