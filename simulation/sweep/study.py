"""Study files: read, override, validate and expand into run tasks.

A study is a TOML file with three tables::

    [study]                      # what to run
    base = "blitar"              # scenario name or path
    design = "full_factorial"    # or "lhs", "sobol", "morris"
    replications = 3             # seeds derived from `seed` (common random numbers)
    seed = 20250101
    scale = 20                   # -> scenario.scale
    end_year = 2030              # horizon -> scenario.end_year
    samples = 64                 # lhs / sobol / morris only

    [levers]                     # config keys; list = axis, {low, high} = range, scalar = fixed
    "policy.emission_charge" = [0, 5000, 10000]

    [outputs]
    timeseries = true
    summary = true
    maps = false

Every problem raises :class:`StudyError` (a :class:`ConfigError`, so the CLI exits with
status 2) naming the key. Axis values and range ends are checked against the lever's
metadata (:func:`simulation.config.levers.field_meta`: kind, allowed range, choices),
then every design point is applied to the base scenario, whose error names the key and
allowed range (cross-field rules such as a year inside the horizon). Map files named by
the study are loaded up front. A design larger than :data:`MAX_POINTS` points or
:data:`MAX_RUNS` runs is refused before it is expanded.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulation import paramsets
from simulation.config import Config
from simulation.config.levers import FieldMeta, field_meta
from simulation.model.indicators import COLUMNS
from simulation.results import rundir
from simulation.scenarios import ConfigError, load_config, parse_override, raw_config, validate
from simulation.sweep import design as design_mod

STUDY_DIRS = (Path("experiments/studies"),
              Path(__file__).resolve().parents[2] / "experiments" / "studies")
MAX_POINTS = 10_000   # design points of one study (each is validated and hashed up front)
MAX_RUNS = 200_000    # design points x replications
DESIGNS = ("full_factorial", "lhs", "sobol", "morris")
SAMPLED = ("lhs", "sobol", "morris")
RESERVED = {"scenario.seed": "replicate seeds come from study.seed",
            "scenario.scale": "use study.scale", "scenario.end_year": "use study.end_year"}
DEFAULT_OUTCOMES = ("grdp", "employment_total", "unemployment_rate",
                    "exposure_population_weighted", "river_concentration_downstream",
                    "emissions_air", "emissions_water", "mean_health", "income_gini",
                    "green_share", "budget_balance", "sustainability_index")


class StudyError(ConfigError):
    """A malformed study file or override; the message names the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StudySection(_Strict):
    name: str = ""
    description: str = ""
    base: str = "blitar"
    design: str = "full_factorial"
    replications: int = Field(1, ge=1, le=100_000)
    seed: int = Field(20250101, ge=0, le=2**63 - 1)
    scale: int | None = Field(None, ge=1, le=100)
    end_year: int | None = Field(None, ge=2001, le=2101)
    samples: int | None = Field(None, ge=1, le=1_000_000)
    morris_levels: int = Field(4, ge=2, le=100)

    @model_validator(mode="after")
    def _design(self) -> StudySection:
        if self.design not in DESIGNS:
            raise ValueError(f"unknown design {self.design!r}; choose one of "
                             f"{', '.join(DESIGNS)}")
        if self.design in SAMPLED and self.samples is None:
            raise ValueError(f"design {self.design!r} needs study.samples (base sample size)")
        if self.design == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"study.samples = {self.samples}: Sobol sequences need a power "
                             "of 2 (e.g. 64, 128, 256)")
        return self


class OutputsSection(_Strict):
    timeseries: bool = True
    summary: bool = True
    maps: bool = False


class AnalysisSection(_Strict):
    outcomes: tuple[str, ...] = Field(DEFAULT_OUTCOMES, min_length=1)
    tradeoff: tuple[str, str] = ("grdp", "exposure_population_weighted")

    @model_validator(mode="after")
    def _known(self) -> AnalysisSection:
        for name in (*self.outcomes, *self.tradeoff):
            if name not in COLUMNS or name == "step":
                raise ValueError(f"unknown outcome {name!r}; outcomes are the indicator "
                                 f"columns: {', '.join(c for c in COLUMNS if c != 'step')}")
        return self


class StudySpec(_Strict):
    study: StudySection = StudySection()
    levers: dict[str, Any] = {}
    outputs: OutputsSection = OutputsSection()
    analysis: AnalysisSection = AnalysisSection()


@dataclass(frozen=True)
class Axis:
    """One study axis: the config key and how the study sets it: ``kind`` is "axis" (a
    list of values), "range" (low, high; sampled) or "fixed" (one value in every run)."""

    key: str
    kind: Literal["axis", "range", "fixed"]
    values: tuple[Any, ...] = ()
    low: float = 0.0
    high: float = 0.0
    integer: bool = False


@dataclass(frozen=True)
class RunTask:
    """One run: a design point and a replicate. Picklable; the worker's whole input."""

    run_id: str
    point: int
    replicate: int
    seed: int
    base: str
    overrides: tuple[tuple[str, Any], ...]
    maps: bool = False

    def params(self) -> dict[str, Any]:
        return dict(self.overrides)


@dataclass
class Study:
    """A validated study, expanded: design points, replicate seeds and run tasks."""

    name: str
    path: Path | None
    text: str
    spec: StudySpec
    overrides: tuple[str, ...]
    axes: list[Axis]
    fixed: dict[str, Any]
    points: list[dict[str, Any]]
    sample: list[list[float]] | None
    problem: dict[str, Any] | None
    seeds: list[int]
    base_config: Config
    tasks: list[RunTask] = field(default_factory=list)

    @property
    def varied(self) -> list[str]:
        return [ax.key for ax in self.axes if ax.kind != "fixed"]


def find_study(name_or_path: str | Path) -> Path:
    """A study name (``policy_mix``) in experiments/studies/, or a path to a TOML file."""
    p = Path(name_or_path)
    if p.suffix == ".toml":
        if not p.is_file():
            raise StudyError(f"study file not found: {p}")
        return p
    if not rundir.slug(str(p)) == str(p):
        raise StudyError(f"study {str(name_or_path)[:80]!r}: not a study name (letters, "
                         "digits, '_', '-') nor a path to a .toml file")
    for folder in STUDY_DIRS:
        if (folder / f"{p}.toml").is_file():
            return folder / f"{p}.toml"
    known = sorted({q.stem for d in STUDY_DIRS if d.is_dir() for q in d.glob("*.toml")})
    raise StudyError(f"unknown study {str(name_or_path)!r}; available: {', '.join(known)}")


def _flatten_levers(raw: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Accept quoted dotted keys and nested tables alike; {low, high} tables are ranges."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping) and not ({"low", "high"} & set(value)):
            out.update(_flatten_levers(value, full + "."))
        else:
            out[full] = value
    return out


def _apply_cli_overrides(raw: dict[str, Any], overrides: Iterable[str]) -> None:
    for text in overrides:
        keys, value = parse_override(text)
        table = keys[0]
        if table not in ("study", "levers", "outputs", "analysis") or len(keys) < 2:
            raise StudyError(f"--set {text!r}: expected study.KEY=, levers.SECTION.KEY=, "
                             "outputs.KEY= or analysis.KEY=")
        rest = ".".join(keys[1:])
        raw.setdefault(table, {})[rest if table == "levers" else keys[1]] = value


def _spec(raw: dict[str, Any], origin: str) -> StudySpec:
    try:
        return StudySpec.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key"
            value = f" = {err['input']!r}" if not isinstance(err.get("input"), dict) else ""
            lines.append(f"{key}{value}: {msg}")
        raise StudyError(f"{origin}: invalid study:\n  " + "\n  ".join(lines)) from None


def _meta(key: str) -> FieldMeta | None:
    """The metadata of a ``section.field`` key (None for other keys: the config checks)."""
    parts = key.split(".")
    if len(parts) != 2:
        return None
    try:
        return field_meta(*parts)
    except (KeyError, AttributeError, TypeError):
        return None


NUMERIC = ("float", "int", "year")


def _check_value(key: str, value: Any, where: str) -> None:
    """A value of an axis against the field's metadata (kind, range, choices)."""
    meta = _meta(key)
    if meta is None:
        return
    allowed = f"allowed: {meta.range_text()}{f' ({meta.unit})' if meta.unit else ''}"
    if meta.kind in NUMERIC:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and (
            meta.kind == "float" or float(value).is_integer()) and meta.contains(float(value))
    elif meta.kind == "switch":
        ok = value in meta.choices
    elif meta.kind == "bool":
        ok = isinstance(value, bool)
    else:
        return
    if not ok:
        raise StudyError(f"{where} = {value!r}: not allowed; {allowed}")


def _parse_axis(key: str, value: Any, design: str, origin: str) -> Axis:
    where = f"{origin}: levers.{key}"
    if key in RESERVED:
        raise StudyError(f"{where}: not a lever ({RESERVED[key]})")
    if isinstance(value, list):
        if not value:
            raise StudyError(f"{where}: empty axis (a list needs at least one value)")
        if design != "full_factorial":
            raise StudyError(f"{where}: a list is an axis of a full_factorial design; "
                             f"design {design!r} needs a range {{low = ..., high = ...}}")
        if len(set(map(repr, value))) != len(value):
            raise StudyError(f"{where}: axis has repeated values {value[:20]}")
        for v in value:
            _check_value(key, v, where)
        return Axis(key, "axis", values=tuple(value))
    if isinstance(value, Mapping):
        if set(value) != {"low", "high"}:
            raise StudyError(f"{where}: a range is {{low = ..., high = ...}}; got keys "
                             f"{sorted(map(str, value))[:10]}")
        low, high = value["low"], value["high"]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                   for v in (low, high)):
            raise StudyError(f"{where}: range bounds must be finite numbers; got {low!r}, "
                             f"{high!r}")
        if not low < high:
            raise StudyError(f"{where}: bad range: low ({low}) must be below high ({high})")
        if design == "full_factorial":
            raise StudyError(f"{where}: a range needs a sampling design (lhs, sobol, morris); "
                             "full_factorial takes a list of values")
        meta = _meta(key)
        if meta is not None and meta.kind not in NUMERIC:
            raise StudyError(f"{where}: a range needs a numeric lever; {key} is {meta.kind} "
                             f"({meta.range_text()})")
        for end in (low, high):
            if meta is not None and not meta.contains(float(end)):
                raise StudyError(f"{where}: range end {end!r} outside the allowed range "
                                 f"{meta.range_text()}{f' ({meta.unit})' if meta.unit else ''}")
        return Axis(key, "range", low=float(low), high=float(high),
                    integer=meta is not None and meta.kind in ("int", "year"))
    _check_value(key, value, where)
    return Axis(key, "fixed", values=(value,))


def design_size(spec: StudySpec, axes: list[Axis]) -> int:
    """Number of design points, from the spec alone (before anything is expanded)."""
    s = spec.study
    if s.design == "full_factorial":
        return math.prod(len(ax.values) for ax in axes if ax.kind == "axis")
    k = sum(ax.kind == "range" for ax in axes)
    per = {"lhs": 1, "sobol": k + 2, "morris": k + 1}[s.design]
    return int(s.samples or 0) * per


def config_digest(config: Config, model_version: str | None = None) -> str:
    """Hash of a fully resolved configuration (every value, defaults included) and of the
    model and parameter-set versions: what a run's result depends on besides its seed."""
    text = json.dumps({"config": config.model_dump(mode="json"),
                       "model_version": model_version or paramsets.model_version(),
                       "paramset_version": paramsets.PARAMSET_VERSION},
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def run_id(config_digest: str, seed: int) -> str:
    """Stable id of a run: hash of its resolved configuration (:func:`config_digest`) and
    its seed. Editing the base scenario file, a default, the parameter set or the model
    version changes it (the run is redone); the run's position in the design does not."""
    text = json.dumps({"config": config_digest, "seed": seed}, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _resolve_base(base: str, study_path: Path | None) -> str:
    if base.endswith(".toml") and study_path is not None and not Path(base).is_absolute():
        candidate = study_path.parent / base
        if candidate.is_file():
            return str(candidate)
    return base


def load_study(name_or_path: str | Path, overrides: Iterable[str] = (),
               expand: bool = True) -> Study:
    """Read, override (``study.replications=20``, ``levers.policy.fine=[5, 10]``) and
    validate a study; expand it into design points, seeds and run tasks."""
    path = find_study(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise StudyError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise StudyError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise StudyError(f"{path}: cannot read the study file: {exc.strerror}") from None
    overrides = tuple(overrides)
    _apply_cli_overrides(raw, overrides)
    if isinstance(raw.get("levers"), Mapping):
        raw["levers"] = _flatten_levers(raw["levers"])
    return build_study(raw, origin=str(path), path=path, text=text, overrides=overrides,
                       expand=expand)


def _check_maps(base: str, axes: list[Axis], base_map: str, origin: str) -> None:
    """Load every map file the study names (base scenario, fixed value, axis values), so a
    missing or bad map is an error now rather than a failure in every worker."""
    from simulation.environment.geography import MapError, load_map
    from simulation.scenarios import resolve_map_path

    maps = {base_map}
    for ax in axes:
        if ax.key == "scenario.map":
            maps |= {str(v) for v in ax.values}
    for m in sorted(maps):
        try:
            load_map(resolve_map_path(m))
        except (MapError, ConfigError, OSError) as exc:
            raise StudyError(f"{origin}: map {m!r}: {exc}") from None


def build_study(raw: dict[str, Any], origin: str = "study", path: Path | None = None,
                text: str = "", overrides: tuple[str, ...] = (), expand: bool = True) -> Study:
    """Validate a raw study dict (as read from TOML) and expand it. ``expand=False`` (a dry
    run) validates every design point but computes no run ids (``tasks`` stays empty)."""
    spec = _spec(raw, origin)
    s = spec.study
    if s.name:
        try:
            name = rundir.check_name(s.name, "study.name")
        except ConfigError as exc:
            raise StudyError(f"{origin}: {exc}") from None
    else:
        name = rundir.slug(path.stem) if path is not None else "study"
    base = _resolve_base(s.base, path)
    if not spec.levers:
        raise StudyError(f"{origin}: [levers] is empty; declare at least one lever")
    axes = [_parse_axis(k, v, s.design, origin) for k, v in spec.levers.items()]
    if not any(ax.kind != "fixed" for ax in axes):
        raise StudyError(f"{origin}: no lever varies; give at least one axis (list) or "
                         "range {low, high}")
    n_points = design_size(spec, axes)
    if n_points > MAX_POINTS or n_points * s.replications > MAX_RUNS:
        raise StudyError(f"{origin}: design too large: {n_points:,} points x "
                         f"{s.replications} replications = {n_points * s.replications:,} runs; "
                         f"the limit is {MAX_POINTS:,} points and {MAX_RUNS:,} runs per study "
                         "(split it into several studies)")
    fixed: dict[str, Any] = {}
    if s.scale is not None:
        fixed["scenario.scale"] = s.scale
    if s.end_year is not None:
        fixed["scenario.end_year"] = s.end_year
    try:
        _, base_raw = raw_config(base)
        base_config = load_config(base, **fixed)
    except ConfigError as exc:
        raise StudyError(f"{origin}: [study]: {exc}") from None
    for ax in axes:
        if ax.kind == "fixed":
            _check(base, fixed, ax.key, ax.values[0], origin)
            fixed[ax.key] = ax.values[0]
    base_config = load_config(base, **fixed)
    for ax in axes:  # each value alone first: the error names the lever, not a point
        values = ax.values if ax.kind == "axis" else (ax.low, ax.high) if ax.kind == "range" \
            else ()
        for v in values:
            _point_config(base_raw, {**fixed, ax.key: v}, f"{origin}: levers.{ax.key} = {v!r}")
    _check_maps(base, axes, base_config.scenario.map, origin)
    points, sample, problem = design_mod.make_design(
        s.design, axes, samples=s.samples, seed=s.seed, morris_levels=s.morris_levels)
    seeds = design_mod.replicate_seeds(s.seed, s.replications)
    model_version = paramsets.model_version()
    tasks = []
    for p, point in enumerate(points):
        params = {**fixed, **point}
        cfg = _point_config(base_raw, params, f"{origin}: design point {p} {point}")
        if not expand:
            continue
        digest = config_digest(cfg.model_copy(update={  # the seed is hashed per replicate
            "scenario": cfg.scenario.model_copy(update={"seed": 0})}), model_version)
        for r, seed in enumerate(seeds):
            resolved = {**params, "scenario.seed": seed}
            tasks.append(RunTask(run_id(digest, seed), p, r, seed, base,
                                 tuple(sorted(resolved.items())), spec.outputs.maps))
    return Study(name, path, text, spec, overrides, axes, fixed, points, sample, problem,
                 seeds, base_config, tasks)


def _check(base: str, fixed: dict[str, Any], key: str, value: Any, origin: str) -> Config:
    try:
        return load_config(base, **fixed, **{key: value})
    except ConfigError as exc:
        raise StudyError(f"{origin}: levers.{key} = {value!r}: {exc}") from None


def _point_config(base_raw: dict[str, Any], params: dict[str, Any], where: str) -> Config:
    """The resolved config of one design point (the base scenario read once): the same
    result as ``load_config(base, **params)``, checking cross-field rules."""
    data = copy.deepcopy(base_raw)
    for dotted, value in params.items():
        node = data
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise StudyError(f"{where}: {dotted}: {part} is not a section")
        node[last] = value
    try:
        return validate(data, origin="study")
    except ConfigError as exc:
        raise StudyError(f"{where}: {exc}") from None
