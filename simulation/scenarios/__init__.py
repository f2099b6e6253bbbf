"""Scenario files: load, layer, override and validate into a :class:`Config`.

A scenario is a TOML file in this folder (``blitar.toml`` is the calibrated default).
A scenario may start from another with ``[scenario] base = "blitar"``; its tables are
merged over the base key by key. ``--set section.key=value`` overrides come last.
Every problem becomes a :class:`ConfigError` whose message names the key, the value
and what is allowed.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from simulation.config import Config
from simulation.config.levers import field_meta

SCENARIO_DIR = Path(__file__).parent
MAX_BASE_DEPTH = 32   # scenarios built on scenarios built on ...
MAX_PROBLEMS = 12     # validation problems listed in one error message


class ConfigError(ValueError):
    """Invalid scenario, override or value. The message names the key and allowed values."""


def available_scenarios() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def resolve_map_path(map_path: str) -> Path:
    """A map path as written in a scenario: absolute, relative to the working directory,
    or relative to the packaged scenario folder (the default ``maps/blitar.toml``)."""
    p = Path(map_path)
    if p.is_absolute() or p.is_file():
        return p
    return SCENARIO_DIR / p


def scenario_path(name_or_path: str | Path) -> Path:
    """Resolve a scenario name (``blitar``) or a path to a TOML file."""
    if not isinstance(name_or_path, str | Path) or not str(name_or_path) or "\0" in str(
            name_or_path):
        raise ConfigError(f"scenario {name_or_path!r}: expected a scenario name or a path to "
                          f"a .toml file; available: {', '.join(available_scenarios())}")
    p = Path(name_or_path)
    if p.suffix == ".toml":
        if not p.is_file():
            raise ConfigError(f"scenario file not found: {p}")
        return p
    candidate = SCENARIO_DIR / f"{name_or_path}.toml"
    if not candidate.is_file():
        raise ConfigError(f"unknown scenario {str(name_or_path)!r}; "
                          f"available: {', '.join(available_scenarios())}")
    return candidate


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
        return tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the scenario file: {exc.strerror}") from None


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _raw_scenario(path: Path) -> dict[str, Any]:
    """A scenario file merged over its chain of bases (at most :data:`MAX_BASE_DEPTH`)."""
    chain: list[dict[str, Any]] = []
    seen: list[Path] = []
    while True:
        if path in seen:
            raise ConfigError(f"{path}: scenario inheritance loops through "
                              f"{[str(s) for s in seen[-5:]]}")
        if len(seen) >= MAX_BASE_DEPTH:
            raise ConfigError(f"{seen[0]}: scenario base chain deeper than {MAX_BASE_DEPTH} "
                              "files")
        seen.append(path)
        data = _read_toml(path)
        section = data.get("scenario", {})
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: [scenario] must be a table")
        _maps_next_to(path, section)
        chain.append(data)
        base_name = section.pop("base", None)
        if base_name is None:
            break
        if not isinstance(base_name, str):
            raise ConfigError(f"{path}: scenario.base = {base_name!r}: expected a scenario "
                              "name or a path to a .toml file (a string)")
        path = scenario_path(base_name)
    merged: dict[str, Any] = {}
    for data in reversed(chain):
        merged = _merge(merged, data)
    return merged


def _maps_next_to(path: Path, section: dict[str, Any]) -> None:
    """A relative map path in a scenario file outside this package that names a file next
    to the scenario file means that file (config: map paths are relative to the scenario)."""
    m = section.get("map")
    if not isinstance(m, str) or Path(m).is_absolute() or path.parent == SCENARIO_DIR:
        return
    beside = path.parent / m
    if beside.is_file() and not Path(m).is_file():
        section["map"] = str(beside.resolve())


def parse_override(text: str) -> tuple[list[str], Any]:
    """Parse ``section.key=value``; the value is read as TOML (numbers, booleans, lists)."""
    if "=" not in text:
        raise ConfigError(f"--set {text!r}: expected KEY=VALUE, e.g. policy.emission_charge=5000")
    key, raw = (part.strip() for part in text.split("=", 1))
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # bare words such as on/off stay strings
    return key.split("."), value


def _set_path(data: dict[str, Any], path: list[str], value: Any) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ConfigError(f"--set {'.'.join(path)}: {part} is not a section")
    node[path[-1]] = value


def _field_info(path: tuple[Any, ...]) -> tuple[type[BaseModel] | None, str | None]:
    """Walk the Config schema along an error location; return (model, last field name)."""
    model: type[BaseModel] | None = Config
    for i, part in enumerate(path):
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            return model, None
        if i == len(path) - 1:
            return model, part
        annotation = model.model_fields[part].annotation
        model = annotation if isinstance(annotation, type) and issubclass(
            annotation, BaseModel) else None
    return model, None


def _allowed(model: type[BaseModel], name: str) -> str:
    info = model.model_fields[name]
    meta = field_meta("", name, model)
    text = f"type {getattr(info.annotation, '__name__', info.annotation)}"
    if meta.bounds_text():
        text += ", allowed range " + meta.bounds_text()
    if meta.unit:
        text += f" ({meta.unit})"
    return text


def _format_error(err: Mapping[str, Any]) -> str:
    loc = tuple(err["loc"])
    key = ".".join(str(p) for p in loc)
    if err["type"] == "extra_forbidden":
        model, _ = _field_info(loc[:-1]) if len(loc) > 1 else (Config, None)
        if len(loc) > 1:
            parent_model, parent_name = _field_info(loc[:-1])
            if parent_name is not None and parent_model is not None:
                annotation = parent_model.model_fields[parent_name].annotation
                model = annotation if isinstance(annotation, type) else None
        names = sorted(model.model_fields) if model is not None else []
        close = difflib.get_close_matches(str(loc[-1]), names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"{key}: unknown key{hint}; allowed keys here: {', '.join(names)}"
    model, name = _field_info(loc)
    allowed = f"; {_allowed(model, name)}" if model is not None and name is not None else ""
    value = f" = {err['input']!r}" if "input" in err and not isinstance(err["input"], dict) else ""
    return f"{key or 'config'}{value}: {err['msg']}{allowed}"


def _strict_numbers(data: Mapping[str, Any], model: type[BaseModel], prefix: str,
                    problems: list[str]) -> None:
    """Problems pydantic lets through: NaN/infinity anywhere, and true/false given for a
    number (pydantic's lax mode would read true as 1)."""
    for key, value in data.items():
        info = model.model_fields.get(key) if isinstance(key, str) else None
        where = f"{prefix}{key}"
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(f"{where} = {value!r}: must be a finite number")
        elif isinstance(value, bool) and info is not None and info.annotation in (int, float):
            meta = field_meta("", key, model)
            problems.append(f"{where} = {str(value).lower()}: a number is expected, not "
                            f"true/false; allowed range {meta.range_text()}")
        elif isinstance(value, Mapping) and info is not None and isinstance(
                info.annotation, type) and issubclass(info.annotation, BaseModel):
            _strict_numbers(value, info.annotation, where + ".", problems)
        elif isinstance(value, Mapping | list):
            _nonfinite(value, where, problems)


def _nonfinite(value: Any, where: str, problems: list[str]) -> None:
    items = value.items() if isinstance(value, Mapping) else enumerate(value)
    for k, v in items:
        if isinstance(v, float) and not math.isfinite(v):
            problems.append(f"{where}.{k} = {v!r}: must be a finite number")
        elif isinstance(v, Mapping | list):
            _nonfinite(v, f"{where}.{k}", problems)


def _raise(origin: str, lines: list[str], total: int | None = None) -> None:
    total = len(lines) if total is None else total
    shown = lines[:MAX_PROBLEMS]
    if total > len(shown):
        shown.append(f"... and {total - len(shown)} more problems")
    raise ConfigError(f"{origin}: invalid configuration:\n  " + "\n  ".join(shown))


def _problem_lines(errors: list[Any]) -> tuple[list[str], int]:
    """One line per problem, unknown keys of one table grouped on one line; and the count
    of problems."""
    unknown: dict[tuple[Any, ...], list[str]] = {}
    lines: list[str] = []
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            names = unknown.setdefault(loc[:-1], [])
            if not names:
                lines.append(loc[:-1])  # placeholder: filled in below
            names.append(str(loc[-1]))
        elif len(lines) < MAX_PROBLEMS:
            lines.append(_format_error(err))
    out = []
    for line in lines[:MAX_PROBLEMS]:
        if isinstance(line, tuple):
            names = unknown[line]
            first = _format_error({"loc": (*line, names[0]), "type": "extra_forbidden"})
            if len(names) > 1:
                shown = ", ".join(repr(n[:40]) for n in names[:8])
                more = f" and {len(names) - 8} more" if len(names) > 8 else ""
                key = ".".join(map(str, line)) or "config"
                first = f"{key}: unknown keys {shown}{more};" + first.split(";", 1)[1]
            out.append(first)
        else:
            out.append(line)
    return out, len(unknown) + sum(e["type"] != "extra_forbidden" for e in errors)


def validate(data: Mapping[str, Any], origin: str = "config") -> Config:
    """Validate a raw nested dict into a Config, or raise ConfigError listing the problems
    (at most :data:`MAX_PROBLEMS`)."""
    problems: list[str] = []
    _strict_numbers(data, Config, "", problems)
    if problems:
        _raise(origin, problems)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        _raise(origin, *_problem_lines(exc.errors()))
    raise AssertionError("unreachable")


def raw_config(scenario: str | Path = "blitar") -> tuple[Path, dict[str, Any]]:
    """The scenario file (merged over its bases) as a raw nested dict, before overrides
    and validation, with its file name as the default scenario name."""
    path = scenario_path(scenario)
    data = _raw_scenario(path)
    data.setdefault("scenario", {})
    data["scenario"].setdefault("name", path.stem)
    return path, data


def load_config(scenario: str | Path = "blitar", overrides: Iterable[str] = (),
                **values: Any) -> Config:
    """Load a scenario, apply ``--set`` overrides, then keyword ``values`` ({"policy.x": v})."""
    path, data = raw_config(scenario)
    for text in overrides:
        keys, value = parse_override(text)
        _set_path(data, keys, value)
    for dotted, value in values.items():
        _set_path(data, dotted.split("."), value)
    return validate(data, origin=str(path.name))
