"""Versioned parameter sets: the calibrated defaults, kept as data for every release.

A parameter set is the complete resolved configuration of the default scenario
(``blitar``: every section, every sector) stored as ``simulation/paramsets/<version>.json``.
The code's current version is :data:`PARAMSET_VERSION`; a test checks that the current
code resolves ``blitar`` to exactly the current file, so a default or calibration value
cannot change without a new parameter-set version (and a CHANGELOG line).

Every run manifest records ``paramset_version`` and ``paramset_diff``: the flat
``{"section.key": value}`` differences between the run's resolved config and that
parameter set (besides the full resolved ``config``). ``blitar-sim reproduce`` rebuilds a
run's config as the recorded parameter-set file plus the recorded differences, validated
with the current schema, and checks that it agrees with the recorded resolved config on
every key (:func:`rebuild_config`). Old parameter-set files are never deleted and their
values never edited; if a later release renames a key, the old files are migrated to the
new key names (values unchanged), and a key added later is added to the old files with the
value that keeps the old behaviour, so old runs rebuild exactly.

To start a new version after changing defaults: ``python -m simulation.paramsets --write v2``,
then set ``PARAMSET_VERSION = "v2"`` and add a CHANGELOG line.
"""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from simulation.config import Config
from simulation.scenarios import ConfigError, load_config, validate

PARAMSET_VERSION = "v4"
PARAMSET_DIR = Path(__file__).parent
BASE_SCENARIO = "blitar"
_VERSION_RE = re.compile(r"v(\d+)")
_MISSING = object()


class ParamsetError(ConfigError):
    """Unknown or unreadable parameter set (a bad-input error: exit status 2)."""


def model_version() -> str:
    """The installed blitar-sim package version (pyproject.toml), or "unknown"."""
    try:
        return metadata.version("blitar-sim")
    except metadata.PackageNotFoundError:
        return "unknown"


def known_versions() -> list[str]:
    """Parameter-set versions shipped with the code, oldest first."""
    found = [p.stem for p in PARAMSET_DIR.glob("v*.json") if _VERSION_RE.fullmatch(p.stem)]
    return sorted(found, key=lambda v: int(v[1:]))


def paramset_path(version: str) -> Path:
    return PARAMSET_DIR / f"{version}.json"


def load_paramset(version: str) -> dict[str, Any]:
    """The stored parameter set ``version`` (the whole file), or ParamsetError."""
    if not isinstance(version, str) or not _VERSION_RE.fullmatch(version):
        raise ParamsetError(f"parameter-set version {version!r} is not of the form v<N>")
    path = paramset_path(version)
    if not path.is_file():
        raise ParamsetError(f"unknown parameter-set version {version!r}; this code knows "
                            f"{', '.join(known_versions()) or 'none'} (files in {PARAMSET_DIR})")
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise ParamsetError(f"{path}: not valid JSON: {exc}") from None
    if data.get("paramset_version") != version or not isinstance(data.get("config"), dict):
        raise ParamsetError(f"{path}: not a parameter-set file for {version!r} "
                            f"(needs 'paramset_version' = {version!r} and a 'config' table)")
    return data


def current_defaults() -> dict[str, Any]:
    """The current code's resolved default scenario, as JSON-ready data."""
    return load_config(BASE_SCENARIO).model_dump(mode="json")


def config_diff(base: dict[str, Any], resolved: dict[str, Any],
                prefix: str = "") -> dict[str, Any]:
    """Flat ``{"section.key": value}`` where ``resolved`` differs from ``base``.

    Tables with the same keys are compared key by key; a table whose keys differ (e.g.
    a ``schedule``) is recorded whole, so :func:`apply_diff` replaces it rather than
    merging into it.
    """
    out: dict[str, Any] = {}
    for key, value in resolved.items():
        path = f"{prefix}{key}"
        old = base.get(key, _MISSING)
        if isinstance(value, dict) and isinstance(old, dict) and old.keys() == value.keys():
            out.update(config_diff(old, value, path + "."))
        elif old is _MISSING or old != value:
            out[path] = value
    return out


def apply_diff(base: dict[str, Any], diff: dict[str, Any]) -> dict[str, Any]:
    """``base`` with each ``"section.key"`` of ``diff`` set (replaced, not merged)."""
    out = json.loads(json.dumps(base))  # deep copy of JSON data
    for dotted, value in diff.items():
        node = out
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ParamsetError(f"paramset_diff key {dotted!r}: {part} is not a table")
        node[last] = value
    return out



def manifest_fields(cfg: Config) -> dict[str, Any]:
    """What a run or study manifest records about the model and its parameter set."""
    base = load_paramset(PARAMSET_VERSION)["config"]
    return {"model_version": model_version(), "paramset_version": PARAMSET_VERSION,
            "paramset_diff": config_diff(base, cfg.model_dump(mode="json"))}


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested tables as ``{"section.key": leaf}`` (an empty table is a leaf)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and value:
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def rebuild_config(config: dict[str, Any], paramset_version: str,
                   paramset_diff: dict[str, Any]) -> tuple[Config, str]:
    """The Config of a recorded run, and a note on how it was rebuilt.

    The config is the recorded parameter set (which must be known to this code) with the
    recorded differences applied, validated with the current schema. It must agree with
    the recorded resolved ``config`` on every key both have (else the manifest was edited:
    ParamsetError). Keys only on one side mean the schema changed since the run: a key
    added later takes its value from the (migrated) parameter-set file, so the old run
    keeps its old behaviour; the note names such keys.
    """
    base = load_paramset(paramset_version)["config"]
    origin = f"parameter set {paramset_version} + recorded differences"
    cfg = validate(apply_diff(base, paramset_diff), origin=origin)
    recorded, rebuilt = flatten(config), flatten(cfg.model_dump(mode="json"))
    differ = sorted(k for k in recorded.keys() & rebuilt.keys() if recorded[k] != rebuilt[k])
    if differ:
        raise ParamsetError(
            f"manifest is inconsistent: its config differs from parameter set "
            f"{paramset_version} plus its paramset_diff at {', '.join(differ[:8])}"
            f"{' ...' if len(differ) > 8 else ''} (edited by hand?)")
    changed = sorted(recorded.keys() ^ rebuilt.keys())
    if changed:
        origin += (f"; the schema changed since the run (keys added or removed: "
                   f"{', '.join(changed[:8])}{' ...' if len(changed) > 8 else ''})")
    return cfg, origin


def write_paramset(version: str, description: str, force: bool = False) -> Path:
    """Store the current code's resolved defaults as parameter set ``version``."""
    if not _VERSION_RE.fullmatch(version):
        raise ParamsetError(f"parameter-set version {version!r} is not of the form v<N>")
    path = paramset_path(version)
    if path.exists() and not force:
        raise ParamsetError(f"{path} exists; parameter sets are never overwritten "
                            f"(start a new version)")
    data = {"paramset_version": version, "model_version": model_version(),
            "base_scenario": BASE_SCENARIO, "description": description,
            "config": current_defaults()}
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path
