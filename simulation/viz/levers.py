"""Lever metadata for the browser view, read from the model's configuration schema.

Each policy lever's unit, bounds and owning agency come from
:class:`simulation.config.PolicySection` (plus ``scenario.big_plant_year``). :func:`clean`
checks a dict of values from the page before anything reaches the model: a value outside
its range, of the wrong type or not finite raises :class:`LeverError`.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from typing import Any

from simulation.config import DISPERINDAG, DLH, DPMPTSP, NAKER, PolicySection, ScenarioSection
from simulation.scenarios import available_scenarios, load_config, scenario_path

AGENCY_ORDER = (DISPERINDAG, DLH, DPMPTSP, NAKER)

# slider step per numeric lever (a UI choice; bounds come from the schema)
_STEPS: dict[str, float] = {
    "emission_charge": 500.0, "emission_standard": 0.05, "inspection_rate": 0.01,
    "fine": 10.0, "green_subsidy_share": 0.05, "workshop_slots_per_year": 10,
    "workshop_awareness_gain": 0.05, "skills_training_seats_per_year": 50,
    "training_skill_gain": 0.05, "zoning_buffer_cells": 1, "ipal_removal_share": 0.05,
    "umk_growth_per_year": 0.005,
}
_YEAR_LEVERS = {"ipal_pakunden_year", "big_plant_year"}
# the slider range may be narrower than the schema for a usable slider; the schema range
# is still what clean() enforces (values typed by a program can use all of it)
_SLIDER_MAX: dict[str, float] = {"workshop_slots_per_year": 1000,
                                 "skills_training_seats_per_year": 5000, "fine": 1000.0}


@dataclass(frozen=True)
class Lever:
    """One lever: where it lives in the config, its kind and bounds."""

    name: str
    section: str  # "policy" or "scenario"
    agency: str
    kind: str  # "float", "int", "bool", "switch" or "year"
    lo: float | None
    hi: float | None
    step: float
    default: Any

    @property
    def slider_hi(self) -> float | None:
        return _SLIDER_MAX.get(self.name, self.hi)


class LeverError(ValueError):
    """A lever value from the page that must not reach the model."""

    def __init__(self, lever: Lever, value: Any, reason: str) -> None:
        super().__init__(f"{lever.name} = {value!r}: {reason} (allowed {lever.lo} - {lever.hi})")
        self.lever, self.value, self.reason = lever, value, reason


def _bounds(field: Any) -> tuple[float | None, float | None]:
    lo = hi = None
    for m in field.metadata:
        lo = getattr(m, "ge", lo)
        hi = getattr(m, "le", hi)
    return lo, hi


def _make(name: str, section: str, field: Any, agency: str) -> Lever:
    lo, hi = _bounds(field)
    if name in _YEAR_LEVERS:
        kind = "year"
    elif field.annotation is bool:
        kind = "bool"
    elif field.annotation is int:
        kind = "int"
    elif field.annotation is float:
        kind = "float"
    else:
        kind = "switch"
    return Lever(name, section, agency, kind, lo, hi, _STEPS.get(name, 1.0), field.default)


def _all_levers() -> dict[str, Lever]:
    out = {name: _make(name, "policy", f, f.json_schema_extra["agency"])
           for name, f in PolicySection.model_fields.items()}
    out["big_plant_year"] = _make("big_plant_year", "scenario",
                                  ScenarioSection.model_fields["big_plant_year"], DPMPTSP)
    return out


LEVERS: dict[str, Lever] = _all_levers()


def by_agency() -> dict[str, list[Lever]]:
    """Levers grouped by owning agency, agencies in :data:`AGENCY_ORDER`."""
    return {a: [lv for lv in LEVERS.values() if lv.agency == a] for a in AGENCY_ORDER}


def clean_one(lever: Lever, value: Any, start_year: int, end_year: int) -> Any:
    """Check and coerce one value; raise :class:`LeverError` if it must not reach the model."""
    if lever.kind == "bool":
        if not isinstance(value, bool):
            raise LeverError(lever, value, "type")
        return value
    if lever.kind == "switch":
        if value not in ("on", "off"):
            raise LeverError(lever, value, "type")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LeverError(lever, value, "type")
    if not math.isfinite(value):
        raise LeverError(lever, value, "type")
    if lever.kind in ("int", "year"):
        if value != int(value):
            raise LeverError(lever, value, "type")
        value = int(value)
    if lever.kind == "year":
        if value != 0 and not start_year <= value < end_year:
            raise LeverError(lever, value, "year")
        return value
    if (lever.lo is not None and value < lever.lo) or (lever.hi is not None and value > lever.hi):
        raise LeverError(lever, value, "range")
    return float(value) if lever.kind == "float" else value


def clean(values: dict[str, Any], start_year: int, end_year: int) -> dict[str, Any]:
    """Validate all lever values (unknown names are errors)."""
    out = {}
    for name, value in values.items():
        if name not in LEVERS:
            raise KeyError(f"unknown lever {name!r}")
        out[name] = clean_one(LEVERS[name], value, start_year, end_year)
    return out


@dataclass(frozen=True)
class Preset:
    """A named scenario as a starting point: its lever values, horizon and description."""

    name: str
    levers: dict[str, Any]
    start_year: int
    end_year: int
    seed: int
    description: str
    schedule: dict[str, dict[str, Any]]


def preset(name: str) -> Preset:
    """Read a named scenario (whatever ``simulation/scenarios/*.toml`` holds at run time)."""
    cfg = load_config(name)
    values = {n: getattr(cfg.policy, n) for n in PolicySection.model_fields}
    values["big_plant_year"] = cfg.scenario.big_plant_year
    with scenario_path(name).open("rb") as fh:
        raw = tomllib.load(fh).get("scenario", {}).get("description", "")
    desc = " ".join((cfg.scenario.description or raw).split())
    schedule = dict(getattr(cfg, "schedule", {}) or {})  # dated lever changes, if any
    return Preset(name, values, cfg.scenario.start_year, cfg.scenario.end_year,
                  cfg.scenario.seed, desc, schedule)


def preset_names() -> list[str]:
    """Named scenarios available now, the calibrated default first."""
    names = available_scenarios()
    return sorted(names, key=lambda n: (n != "blitar", n))
