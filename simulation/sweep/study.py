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
status 2) naming the key. Lever keys are checked by the configuration itself: each
value is applied with :func:`load_config`, whose error names the key and allowed range.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulation import paramsets
from simulation.config import Config
from simulation.model.indicators import COLUMNS
from simulation.scenarios import ConfigError, load_config, parse_override
from simulation.sweep import design as design_mod

STUDY_DIRS = (Path("experiments/studies"),
              Path(__file__).resolve().parents[2] / "experiments" / "studies")
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
    outcomes: tuple[str, ...] = DEFAULT_OUTCOMES
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
class Lever:
    """One study lever: ``kind`` is "axis" (values), "range" (low, high) or "fixed"."""

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
    levers: list[Lever]
    fixed: dict[str, Any]
    points: list[dict[str, Any]]
    sample: list[list[float]] | None
    problem: dict[str, Any] | None
    seeds: list[int]
    base_config: Config
    tasks: list[RunTask] = field(default_factory=list)

    @property
    def varied(self) -> list[str]:
        return [lv.key for lv in self.levers if lv.kind != "fixed"]


def find_study(name_or_path: str | Path) -> Path:
    """A study name (``policy_mix``) in experiments/studies/, or a path to a TOML file."""
    p = Path(name_or_path)
    if p.suffix == ".toml":
        if not p.is_file():
            raise StudyError(f"study file not found: {p}")
        return p
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


def _check(base: str, fixed: dict[str, Any], key: str, value: Any, origin: str) -> Config:
    try:
        return load_config(base, **fixed, **{key: value})
    except ConfigError as exc:
        raise StudyError(f"{origin}: levers.{key} = {value!r}: {exc}") from None


def _parse_lever(key: str, value: Any, design: str, origin: str) -> Lever:
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
            raise StudyError(f"{where}: axis has repeated values {value}")
        return Lever(key, "axis", values=tuple(value))
    if isinstance(value, Mapping):
        if set(value) != {"low", "high"}:
            raise StudyError(f"{where}: a range is {{low = ..., high = ...}}; got keys "
                             f"{sorted(value)}")
        low, high = value["low"], value["high"]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high)):
            raise StudyError(f"{where}: range bounds must be numbers; got {low!r}, {high!r}")
        if not low < high:
            raise StudyError(f"{where}: bad range: low ({low}) must be below high ({high})")
        if design == "full_factorial":
            raise StudyError(f"{where}: a range needs a sampling design (lhs, sobol, morris); "
                             "full_factorial takes a list of values")
        return Lever(key, "range", low=float(low), high=float(high))
    return Lever(key, "fixed", values=(value,))


def config_digest(config: Config) -> str:
    """Hash of a fully resolved configuration (every value, defaults included) and of the
    model and parameter-set versions: what a run's result depends on besides its seed."""
    text = json.dumps({"config": config.model_dump(mode="json"),
                       "model_version": paramsets.model_version(),
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


def load_study(name_or_path: str | Path, overrides: Iterable[str] = ()) -> Study:
    """Read, override (``study.replications=20``, ``levers.policy.fine=[5, 10]``) and
    validate a study; expand it into design points, seeds and run tasks."""
    path = find_study(name_or_path)
    text = path.read_text()
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StudyError(f"{path}: not valid TOML: {exc}") from None
    overrides = tuple(overrides)
    _apply_cli_overrides(raw, overrides)
    if isinstance(raw.get("levers"), Mapping):
        raw["levers"] = _flatten_levers(raw["levers"])
    return build_study(raw, origin=str(path), path=path, text=text, overrides=overrides)


def build_study(raw: dict[str, Any], origin: str = "study", path: Path | None = None,
                text: str = "", overrides: tuple[str, ...] = ()) -> Study:
    """Validate a raw study dict (as read from TOML) and expand it."""
    spec = _spec(raw, origin)
    s = spec.study
    name = s.name or (path.stem if path is not None else "study")
    base = _resolve_base(s.base, path)
    if not spec.levers:
        raise StudyError(f"{origin}: [levers] is empty; declare at least one lever")
    levers = [_parse_lever(k, v, s.design, origin) for k, v in spec.levers.items()]
    if not any(lv.kind != "fixed" for lv in levers):
        raise StudyError(f"{origin}: no lever varies; give at least one axis (list) or "
                         "range {low, high}")
    fixed: dict[str, Any] = {}
    if s.scale is not None:
        fixed["scenario.scale"] = s.scale
    if s.end_year is not None:
        fixed["scenario.end_year"] = s.end_year
    try:
        base_config = load_config(base, **fixed)
    except ConfigError as exc:
        raise StudyError(f"{origin}: [study]: {exc}") from None
    for lv in levers:
        if lv.kind == "fixed":
            _check(base, fixed, lv.key, lv.values[0], origin)
            fixed[lv.key] = lv.values[0]
    for i, lv in enumerate(levers):
        if lv.kind == "axis":
            for v in lv.values:
                _check(base, fixed, lv.key, v, origin)
        elif lv.kind == "range":
            cfg = _check(base, fixed, lv.key, lv.low, origin)
            _check(base, fixed, lv.key, lv.high, origin)
            current = cfg.model_dump()
            for part in lv.key.split("."):
                current = current[part]
            if isinstance(current, bool) or not isinstance(current, int | float):
                raise StudyError(f"{origin}: levers.{lv.key}: a range needs a numeric lever")
            levers[i] = Lever(lv.key, "range", low=lv.low, high=lv.high,
                              integer=isinstance(current, int))
    base_config = load_config(base, **fixed)
    points, sample, problem = design_mod.make_design(
        s.design, levers, samples=s.samples, seed=s.seed, morris_levels=s.morris_levels)
    seeds = design_mod.replicate_seeds(s.seed, s.replications)
    tasks = []
    for p, point in enumerate(points):
        params = {**fixed, **point}
        try:
            cfg = load_config(base, **params)  # cross-field rules (a year inside the horizon)
        except ConfigError as exc:
            raise StudyError(f"{origin}: design point {p} {point}: {exc}") from None
        digest = config_digest(cfg.model_copy(update={  # the seed is hashed per replicate
            "scenario": cfg.scenario.model_copy(update={"seed": 0})}))
        for r, seed in enumerate(seeds):
            resolved = {**params, "scenario.seed": seed}
            tasks.append(RunTask(run_id(digest, seed), p, r, seed, base,
                                 tuple(sorted(resolved.items())), spec.outputs.maps))
    return Study(name, path, text, spec, overrides, levers, fixed, points, sample, problem,
                 seeds, base_config, tasks)
